"""Career domain shared by the LTI tool and the XBlocks: skills, roles, assessments, gaps and paths."""
