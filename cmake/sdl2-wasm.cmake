# SDL2 2.26.5 for the browser, built from Debian's source (.cache/src/SDL2) the
# way Emscripten's own SDL2 port does it: SDL's C files compiled directly
# against SDL's include/SDL_config_emscripten.h, no configure step.
# `-sUSE_SDL=2` cannot be used (the port downloads SDL from the internet, and
# its file list is for 2.0.20). Provides the static library target SDL2::SDL2-wasm.
#
# Only what the lab needs is compiled: emscripten video (WebGL via EGL-less
# context creation), events, timers, the emscripten joystick/audio/power/
# filesystem/locale/url back ends that SDL_config_emscripten.h enables, the
# dummy sensor and haptic back ends, generic (no-op) threads. Everything lives
# in the build tree, so a rebuild only recompiles what changed.
if(TARGET SDL2::SDL2-wasm)
  return()
endif()

set(MMLAB_SDL2_DIR "${MMLAB_THIRD_PARTY}/SDL2")
if(NOT EXISTS "${MMLAB_SDL2_DIR}/include/SDL_config_emscripten.h")
  message(FATAL_ERROR "SDL2 2.26.5 sources not found in ${MMLAB_SDL2_DIR}: run scripts/setup.sh")
endif()
file(STRINGS "${MMLAB_SDL2_DIR}/include/SDL_version.h" _sdl_minor REGEX "#define SDL_MINOR_VERSION")
if(NOT _sdl_minor MATCHES "26")
  message(FATAL_ERROR "expected SDL 2.26.x in ${MMLAB_SDL2_DIR}, found: ${_sdl_minor}")
endif()

set(_sdl "${MMLAB_SDL2_DIR}/src")
# Directories whose every .c file belongs to the build (each file is guarded
# by the SDL_* switches of SDL_config_emscripten.h).
set(_sdl_dirs
  "" atomic audio audio/disk audio/dummy audio/emscripten cpuinfo dynapi events file
  filesystem/emscripten haptic haptic/dummy joystick joystick/emscripten
  joystick/virtual loadso/dlopen locale locale/emscripten main/dummy misc
  misc/emscripten power power/emscripten render render/software render/opengles2
  sensor sensor/dummy stdlib thread thread/generic timer timer/unix video
  video/emscripten video/yuv2rgb)
set(_sdl_sources)
foreach(dir IN LISTS _sdl_dirs)
  file(GLOB _files CONFIGURE_DEPENDS "${_sdl}/${dir}/*.c")
  list(APPEND _sdl_sources ${_files})
endforeach()
# Windows-only helpers that the glob picks up.
list(FILTER _sdl_sources EXCLUDE REGEX "/stdlib/SDL_mslibc\\.c$")

add_library(mmlab_sdl2_wasm STATIC ${_sdl_sources})
add_library(SDL2::SDL2-wasm ALIAS mmlab_sdl2_wasm)
# -I, not -isystem: emcc adds its own SDL1 headers as system headers, and
# SDL2's include directory must win over them (else SDL.h is SDL1's, silently).
target_include_directories(mmlab_sdl2_wasm
  PUBLIC "${MMLAB_SDL2_DIR}/include"
  PRIVATE "${_sdl}")
# SDL's own code: no project warnings, optimised even in Debug builds (its
# blitters are slow at -O0 and nobody debugs SDL here).
target_compile_options(mmlab_sdl2_wasm PRIVATE -w -O2)
set_target_properties(mmlab_sdl2_wasm PROPERTIES C_STANDARD 99 C_EXTENSIONS ON)

# What a self-built SDL2 must ask of the linker (Emscripten's port does it in
# linker_setup()). CMake mangles '$' in link options, so the list goes in a
# response file: -sDEFAULT_LIBRARY_FUNCS_TO_INCLUDE=@file.json.
set(MMLAB_SDL2_LIBFUNCS_FILE "${CMAKE_BINARY_DIR}/sdl2-wasm-libfuncs.json")
file(WRITE "${MMLAB_SDL2_LIBFUNCS_FILE}" "[\"$autoResumeAudioContext\", \"$dynCall\"]\n")
target_link_options(mmlab_sdl2_wasm INTERFACE
  "-sDEFAULT_LIBRARY_FUNCS_TO_INCLUDE=@${MMLAB_SDL2_LIBFUNCS_FILE}")
