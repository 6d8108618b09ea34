"""What a reader sees and touches: the figure style, fast redraws, widgets, glue, the chapters'
experiments and the exercises' self-checks. The only floor that imports matplotlib, IPython or
ipywidgets."""
