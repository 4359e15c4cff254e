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

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from migrator.assess import catalogue
from migrator.assess.facts import os_facts
from migrator.inventory.model import Application, Server
from migrator.speed import fast_init

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
WEB_ARCHITECTURES = frozenset({"n-tier", "microservices", "monolith"})


@fast_init
@dataclass(frozen=True, slots=True)
class AppTier:
    service: str
    keeps_vms: bool  # the servers move as the VMs they are
    reason: str
    containers: bool = False  # the choice rests on containers (rules may rule them out)


def app_tier(app: Application, facts: Mapping[str, Any], servers: Sequence[Server]) -> AppTier:
    """The service the application's own tier lands on, and why (see the module's list)."""
    if _appliances(servers):
        return AppTier(
            APPLIANCE_IMAGES,
            False,
            "every server is a network appliance: "
            "deploy the vendors' images and carry the configuration over",
        )
    # Thousands of applications share a few stacks: each combination is decided once.
    return _tier(
        _stack_items(app),
        facts.get("runtime.containerizable"),
        facts.get("stack.containerized") is True,
        facts.get("stack.stateless") is True,
        app.architecture,
        "gpu" in app.hardware,
        bool(facts.get("app.gpu_servers_count")),
    )


@functools.lru_cache(maxsize=8192)
def _tier(
    stack: tuple[str, ...],
    containerizable: str | None,
    containerized: bool,
    stateless: bool,
    architecture: str | None,
    gpu_hardware: bool,
    gpu_servers: bool,
) -> AppTier:
    items = (
        [
            m
            for m in (catalogue.middleware(text) for text in stack)
            if m is not None and m.tier == "application"
        ]
        if stack
        else []
    )
    containers = containerizable == "yes" or containerized
    web = stateless and (architecture is None or architecture in WEB_ARCHITECTURES)
    hpc = next((m for m in items if m.id == "hpc-scheduler"), None)
    if hpc is not None:
        return AppTier(
            hpc.targets[0] if hpc.targets else COMPUTE_ENGINE,
            True,
            f"an HPC cluster ({_named(stack, hpc)}): {hpc.landing}; Cloud Run "
            f"serves requests, it does not run a cluster scheduler",
        )
    if gpu_hardware or gpu_servers or any(m.id == "gpu-runtime" for m in items):
        if containerized:
            return AppTier(
                GPU_NODES,
                False,
                "GPU work that already runs in containers: GKE node pools with GPUs",
                containers=True,
            )
        return AppTier(GPU_VMS, True, "GPU work: Compute Engine machine types with GPUs")
    files = next((m for m in items if m.id.endswith("file-services")), None)
    if files is not None:
        return AppTier(
            files.targets[0], False, f"file services ({_named(stack, files)}): {files.landing}"
        )
    kept = [m for m in items if m.strategy == "rehost"]
    if kept:
        return AppTier(
            COMPUTE_ENGINE,
            True,
            f"{', '.join(m.name for m in kept)}: the "
            f"catalogue keeps {'it' if len(kept) == 1 else 'them'} on VMs "
            f"({kept[0].landing})",
        )
    moved = [m for m in items if m.strategy == "replatform"]
    options = list(moved[0].targets) if moved else ([CLOUD_RUN, GKE] if containers else [])
    why = f"{moved[0].name}: {moved[0].landing}" if moved else "its code runs in containers"
    for option in options:
        if option == CLOUD_RUN and containers and web:
            return AppTier(
                CLOUD_RUN,
                False,
                f"{why}; a containerisable, stateless web workload",
                containers=True,
            )
        if option == GKE and containers:
            return AppTier(
                GKE,
                False,
                f"{why}; containerisable"
                + ("" if web else ", but not a stateless web workload (no Cloud Run)"),
                containers=True,
            )
        if option == COMPUTE_ENGINE:
            return AppTier(COMPUTE_ENGINE, True, f"{why}; not containerisable as it is")
    return AppTier(
        COMPUTE_ENGINE, True, "nothing calls for another service: the servers move as they are"
    )


def _appliances(servers: Sequence[Server]) -> bool:
    """Every server whose OS is known runs a network appliance (and there is one)."""
    found = False
    for server in servers:
        if server.os:
            if os_facts(server.os).get("os.kind") != "appliance":
                return False  # the usual case, told by the first server
            found = True
    return found


def _stack_items(app: Application) -> tuple[str, ...]:
    stack = app.stack
    return (stack.middleware + stack.frameworks) if stack else ()


def _named(stack: tuple[str, ...], item: catalogue.Middleware) -> str:
    """The item as the inventory writes it (``Slurm 20.02``), else the catalogue's name."""
    return next((text for text in stack if item.pattern.search(text.strip())), item.name)
