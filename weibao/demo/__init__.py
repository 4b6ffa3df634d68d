"""The demo county (乐安县) and the commands that seed it and run the demo."""
