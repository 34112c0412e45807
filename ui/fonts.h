// The font files embedded at build time (ui/CMakeLists.txt runs
// ui/embed_file.cmake on assets/fonts/: DejaVu Sans and DejaVu Sans Mono
// subsets, renamed mmlab Sans and mmlab Sans Mono; licence in assets/).
#pragma once

namespace ui::embedded {

extern const unsigned char dejavu_sans[];
extern const unsigned int dejavu_sans_size;
extern const unsigned char dejavu_sans_mono[];
extern const unsigned int dejavu_sans_mono_size;

} // namespace ui::embedded
