"""Evaluation frames: one enriched DataFrame per object type (and per code list of an object),
built once per run by `expectations.frames.builder.FrameBuilder`, one module per family of object
types, named like the rule modules in `expectations.rules` that read them.

Every join and aggregate the rules need is made here, once, and shared by all rules on a frame
(never per rule). Reference tables (SKS code info, SOR units) are broadcast. Every frame carries
the standard columns of `expectations.frames.base.std`; each builder's docstring lists the other
columns it provides, so a grep for a rule's column finds the builder that makes it.
"""
