# Compile settings shared by the project's own targets, native and wasm alike.

# mmlab_no_exceptions(TARGET...): the target is built without C++ exceptions
# (none in core, cli and ui: em++ ignores them, a throw aborts the page), and
# nlohmann-json, which would throw, aborts instead (JSON_NOEXCEPTION). The definition is PUBLIC so that every
# user of the target sees the same nlohmann-json; -fno-exceptions is not:
# Debian's GoogleTest is built with exceptions and the tests keep them.
function(mmlab_no_exceptions)
  foreach(target IN LISTS ARGN)
    target_compile_options(${target} PRIVATE -fno-exceptions)
    target_compile_definitions(${target} PUBLIC JSON_NOEXCEPTION)
  endforeach()
endfunction()

# The page ships the core built for speed and everything else (imgui, SDL,
# the panels) for size: the web preset is MinSizeRel, and these flags come
# after its -Os on the core's command lines (and on the wasm benchmark's, so
# that it measures the core the page ships).
set(MMLAB_WEB_CORE_OPT "-O3" CACHE STRING
    "Optimisation flags of the core in an optimised Emscripten build")
set(MMLAB_CORE_SPEED_FLAGS "")
if(EMSCRIPTEN AND NOT CMAKE_BUILD_TYPE STREQUAL "Debug")
  set(MMLAB_CORE_SPEED_FLAGS ${MMLAB_WEB_CORE_OPT})
endif()
