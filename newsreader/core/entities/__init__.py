"""Named entities: recognise, correct, name canonically, store.

`recognizer` wraps spaCy (imported lazily), `layers` corrects the model with rules,
`canonical` picks the name an entity is known by, `store` holds the SQL and `pipeline` runs
it all over a library in resumable batches. Importing this package never imports spaCy.
"""

from newsreader.core.entities.recognizer import ModelMissingError

__all__ = ["ModelMissingError"]
