#include "util/heap.h"

#include <malloc.h>

// GCC defines __SANITIZE_*__; clang answers __has_feature.
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define CHATD_SANITIZER_ALLOCATOR 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer) || __has_feature(memory_sanitizer)
#define CHATD_SANITIZER_ALLOCATOR 1
#endif
#endif

namespace chatd::util {

bool heapTrimmingAvailable() {
#ifdef CHATD_SANITIZER_ALLOCATOR
    return false;
#else
    return true;
#endif
}

void returnFreeHeapToKernel() {
#ifndef CHATD_SANITIZER_ALLOCATOR
    ::malloc_trim(0);
#endif
}

}  // namespace chatd::util
