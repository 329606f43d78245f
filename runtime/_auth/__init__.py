"""How a request proves who it is: api keys, tokens, azure-identity credentials."""
