// A minimal PNG writer for `mmlab-desktop --screenshot`: 8-bit RGB, zlib
// "stored" blocks (no compression), so it needs no zlib. Screenshots are for
// tests and CI artifacts, where a few megabytes do not matter.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace web {

// Writes `rgb` (width * height * 3 bytes, top row first) to `path` as PNG.
// Returns false when the file cannot be written.
bool write_png(const std::string& path, int width, int height, const std::vector<uint8_t>& rgb);

} // namespace web
