"""kg — a knowledge graph of diplomatic events extracted from Russian-language news.

The flow: ``kg.read`` → ``kg.nlp`` → ``kg.extract`` → ``kg.resolve`` → ``kg.rdf`` →
``kg.store``; then ``kg.query``, ``kg.export``, ``kg.network`` and ``kg.viz`` over the store.
Nothing heavy is imported here: ``import kg`` stays fast.
"""

__version__ = "0.1.0"
