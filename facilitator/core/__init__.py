"""The framework-free core: domain model, werkvorm registry, services, clustering and Dutch text tools."""
