"""Reference data (SKS codes and lists, SOR units, municipalities, the rule catalogue, DRG table
sets), shipped inside the installed package; see reference/README.md and `lprflow.reference`."""
