"""Flags of the export for serving."""

from absl import flags

flags.DEFINE_string("export_dir", None,
                    "Where the SavedModel goes (default: "
                    "<output_dir>/export).")
flags.DEFINE_list("export_format", ["saved_model"],
                  "saved_model, and optionally onnx (needs the onnx extra: "
                  "pip install -e '.[onnx]').")
