"""The lushbeat domain: articles, config, corpus, queries. Never prints, prompts or exits."""
