"""What a change to the inventory does to the plan: two full plans, compared."""
