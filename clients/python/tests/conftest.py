import sys
from pathlib import Path

# The tests run the package from its sources: nothing needs to be installed.
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))
