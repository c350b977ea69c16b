"""The ontology, SHACL shapes and gazetteers, shipped with the package as ``kg.ontology``."""
