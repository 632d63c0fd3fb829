"""Reading a folder's `tags.csv`: one `id,<tags>` line per image.

The format of the anime-faces course datasets and of `dump_dataset`:
`12,blue hair red eyes glasses` tags the image `12.png` (any extension of
`image_files.IMAGE_EXTENSIONS`). The caller's `LabelSpec` is the tag
vocabulary: its `parse_tags` turns the text after the id into a label, so
the same reader serves face folders ("attributes" labels) and shape folders
("multi_hot" labels). Files written by spreadsheet programs work too: a
byte-order mark, CRLF line ends, a header line `id,tags`, blank lines, and
quoted tags holding commas (`12,"blue hair, red eyes"`).

Example:

```python
labels = read_tags("faces/tags.csv", faces.LABEL_SPEC)
labels["12"]  # array([8, 9, 1, 0], dtype=int32)
```
"""

import csv
import logging

from keras_gans.datasets import image_files
from keras_gans.datasets import labels as labels_lib

log = logging.getLogger("keras_gans")

TAGS_FILE = "tags.csv"


def read_lines(path):
    """The lines of a UTF-8 text file (a byte-order mark dropped).

    Raises:
        ValueError: the file is not UTF-8 (the message names the file, the
            line and the byte).
    """
    # utf-8-sig: spreadsheet programs start CSV files with a byte-order mark.
    with open(path, "rb") as f:
        data = f.read()
    try:
        return data.decode("utf-8-sig").splitlines()
    except UnicodeDecodeError as e:
        line = data[:e.start].count(b"\n") + 1
        raise ValueError(
            f"{path}, line {line}: not UTF-8 text (byte 0x{data[e.start]:02x}"
            f" at offset {e.start}): save the tags file as UTF-8. "
            f"Received: path={path!r}"
        ) from None


def read_tags(path, label_spec, ignore_unknown_tags=False):
    """Reads a `tags.csv`.

    Args:
        path: the file.
        label_spec: a `labels.LabelSpec` whose `parse_tags` reads the tags.
        ignore_unknown_tags: skip (and count, in one warning) the lines with
            a tag outside `label_spec`'s vocabulary instead of raising.

    Returns:
        A dict id -> label (numpy, `label_spec.shape`), in file order.

    Raises:
        ValueError: a file that is not UTF-8 text, a line without a comma
            or id, a repeated id, an
            unknown tag (unless `ignore_unknown_tags`), or tags that do not
            make a label (a missing or repeated hair tag). The message names
            the file and the line.
    """
    tags = {}
    skipped = []
    for number, line in enumerate(read_lines(path), start=1):
        if not line.strip():
            continue
        # The csv module unquotes `12,"blue hair, red eyes"`; the tags may
        # themselves contain commas, so every field after the id is tags.
        fields = next(csv.reader([line]))
        if len(fields) < 2:
            raise ValueError(
                f"{path}, line {number}: expected 'id,tags' (e.g. "
                f"'12,blue hair red eyes'), found no comma. "
                f"Received: line={line!r}"
            )
        image_id, text = fields[0].strip(), ",".join(fields[1:])
        if not tags and not skipped and image_id.lower() == "id":
            continue  # The header line "id,tags".
        if not image_id:
            raise ValueError(
                f"{path}, line {number}: the id (an image file's name "
                f"without extension) is empty. Received: line={line!r}"
            )
        if image_id in tags:
            raise ValueError(
                f"{path}, line {number}: id {image_id!r} is tagged twice; "
                f"each image needs exactly one line. Received: "
                f"line={line!r}"
            )
        try:
            tags[image_id] = label_spec.parse_tags(text)
        except labels_lib.UnknownTagError as error:
            if ignore_unknown_tags:
                skipped.append(number)
                continue
            raise ValueError(
                f"{path}, line {number}: {error}. Fix the line, or pass "
                f"ignore_unknown_tags=True to skip lines with unknown "
                f"tags. Received: line={line!r}"
            ) from None
        except ValueError as error:
            raise ValueError(
                f"{path}, line {number}: {error} Received: line={line!r}"
            ) from None
    if skipped:
        log.warning(
            "--ignore_unknown_tags: skipped %d line(s) of %s with unknown "
            "tags (lines %s).", len(skipped), path,
            image_files.first_few(skipped),
        )
    return tags
