"""Where an application's own tier lands (not its databases): the right service for the
workload, from its servers, its hardware and the middleware catalogue (runtimes.yaml).

Asked in this order, the first answer wins:

 1. every server a network appliance       → the vendor's images on Compute Engine
 2. an HPC or batch scheduler (Slurm, LSF)  → Compute Engine, the cluster rebuilt as it is
 3. GPUs (hardware: gpu, a GPU runtime, or
    servers that record their GPUs)         → GPU machine types, or GKE GPU node pools
                                              when it already runs in containers
 4. file services (SMB/DFS, NFS)            → NetApp Volumes or Filestore
 5. middleware the catalogue keeps on VMs   → Compute Engine
 6. middleware the catalogue replatforms,
    or code that runs in containers         → its first target the application qualifies
                                              for: Cloud Run only for a containerisable,
                                              stateless web workload; GKE for a
                                              containerisable one; else Compute Engine
 7. otherwise                               → Compute Engine, the servers as they are
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from migrator.assess import catalogue
from migrator.inventory.model import Application, Server

COMPUTE_ENGINE = "Compute Engine"
GKE = "Google Kubernetes Engine"
CLOUD_RUN = "Cloud Run"
VMWARE_ENGINE = "Google Cloud VMware Engine"
BARE_METAL = "Bare Metal Solution"
NETAPP = "Google Cloud NetApp Volumes"
FILESTORE = "Filestore"
APPLIANCE_IMAGES = "Compute Engine (vendor appliance images)"
GPU_VMS = "Compute Engine (GPU machine types)"
GPU_NODES = "Google Kubernetes Engine (GPU node pools)"
# Services on which the servers keep running as the VMs they are (a rehost).
VM_SERVICES = frozenset({COMPUTE_ENGINE, GPU_VMS, BARE_METAL, VMWARE_ENGINE})
WEB_ARCHITECTURES = frozenset({"n-tier", "microservices", "monolith"})


@dataclass(frozen=True, slots=True)
class AppTier:
    service: str
    keeps_vms: bool  # the servers move as the VMs they are
    reason: str
    containers: bool = False  # the choice rests on containers (rules may rule them out)


def app_tier(app: Application, facts: Mapping[str, Any], servers: Sequence[Server],
             server_kinds: Sequence[str | None]) -> AppTier:
    """The service the application's own tier lands on, and why (see the module's list)."""
    items = [m for m in (catalogue.middleware(text) for text in _stack_items(app))
             if m is not None and m.tier == "application"]
    containers = (facts.get("runtime.containerizable") == "yes"
                  or facts.get("stack.containerized") is True)
    known = [kind for kind in server_kinds if kind is not None]
    if known and all(kind == "appliance" for kind in known):
        return AppTier(APPLIANCE_IMAGES, False, "every server is a network appliance: "
                       "deploy the vendors' images and carry the configuration over")
    hpc = next((m for m in items if m.id == "hpc-scheduler"), None)
    if hpc is not None:
        return AppTier(hpc.targets[0] if hpc.targets else COMPUTE_ENGINE, True,
                       f"an HPC cluster ({_named(app, hpc)}): {hpc.landing}; Cloud Run "
                       f"serves requests, it does not run a cluster scheduler")
    gpu = ("gpu" in app.hardware or any(m.id == "gpu-runtime" for m in items)
           or any(s.gpu is not None for s in servers))
    if gpu:
        if facts.get("stack.containerized") is True:
            return AppTier(GPU_NODES, False, "GPU work that already runs in containers: "
                           "GKE node pools with GPUs", containers=True)
        return AppTier(GPU_VMS, True, "GPU work: Compute Engine machine types with GPUs")
    files = next((m for m in items if m.id.endswith("file-services")), None)
    if files is not None:
        return AppTier(files.targets[0], False, f"file services ({_named(app, files)}): "
                       f"{files.landing}")
    kept = [m for m in items if m.strategy == "rehost"]
    if kept:
        return AppTier(COMPUTE_ENGINE, True, f"{', '.join(m.name for m in kept)}: the "
                       f"catalogue keeps {'it' if len(kept) == 1 else 'them'} on VMs "
                       f"({kept[0].landing})")
    moved = [m for m in items if m.strategy == "replatform"]
    options = list(moved[0].targets) if moved else ([CLOUD_RUN, GKE] if containers else [])
    why = f"{moved[0].name}: {moved[0].landing}" if moved else "its code runs in containers"
    for option in options:
        if option == CLOUD_RUN and containers and _stateless_web(app, facts):
            return AppTier(CLOUD_RUN, False, f"{why}; a containerisable, stateless web "
                                             f"workload", containers=True)
        if option == GKE and containers:
            return AppTier(GKE, False, f"{why}; containerisable"
                           + ("" if _stateless_web(app, facts) else
                              ", but not a stateless web workload (no Cloud Run)"),
                           containers=True)
        if option == COMPUTE_ENGINE:
            return AppTier(COMPUTE_ENGINE, True, f"{why}; not containerisable as it is")
    return AppTier(COMPUTE_ENGINE, True, "nothing calls for another service: the servers "
                                         "move as they are")


def _stateless_web(app: Application, facts: Mapping[str, Any]) -> bool:
    return (facts.get("stack.stateless") is True
            and (app.architecture is None or app.architecture in WEB_ARCHITECTURES))


def _stack_items(app: Application) -> tuple[str, ...]:
    stack = app.stack
    return (stack.middleware + stack.frameworks) if stack else ()


def _named(app: Application, item: catalogue.Middleware) -> str:
    """The item as the inventory writes it (``Slurm 20.02``), else the catalogue's name."""
    return next((text for text in _stack_items(app) if item.pattern.search(text.strip())),
                item.name)
