# The English interface is for the same officers and the same documents: dates, times and numbers stay in
# Vietnamese administrative usage (dd/mm/yyyy, 24-hour clock, "1.234,5"), so one module defines them.
from config.formats.vi.formats import *  # noqa: F403
