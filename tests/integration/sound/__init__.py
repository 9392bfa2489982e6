"""Sound cues, the spoken coach and whether sound can come out at all."""
