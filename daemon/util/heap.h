// Handing memory the process no longer uses back to the kernel.
#pragma once

namespace chatd::util {

// Asks glibc to return the free parts of its heaps to the kernel
// (malloc_trim(0)), so RSS follows the load down after a burst of clients has
// gone. Does nothing in a build with ASan, TSan or MSan: their allocator
// replaces glibc's, whose arenas malloc_trim would then walk uninitialised
// (it crashed ASan builds in CI). Safe to call from any thread.
void returnFreeHeapToKernel();

// False when the build's allocator is a sanitizer's and the call above does nothing.
bool heapTrimmingAvailable();

}  // namespace chatd::util
