"""The analysts' library of ready SPARQL queries (``*.rq``)."""
