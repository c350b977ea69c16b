"""The bundled sample articles for `kg demo` (see SOURCES.md)."""
