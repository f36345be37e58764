// The shout plugin's library: the class plus its entry point.
#include "shout.hpp"

CHATD_PLUGIN(Shout, "shout");
