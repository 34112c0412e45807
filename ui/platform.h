// What ui/ asks of the platform (web/ implements it with GL; the smoke test
// passes nullptr): textures for large pictures such as the physical map of
// millions of frames, and the clipboard.
#pragma once

#include <cstdint>
#include <string>

namespace ui {

class Platform {
  public:
    virtual ~Platform() = default;
    // Creates or replaces an RGBA8 texture of width x height; returns the
    // ImTextureID value to draw it with (0 when textures are unavailable).
    virtual uintptr_t upload_texture(uintptr_t existing, int width, int height,
                                     const uint32_t* rgba) = 0;
    virtual void destroy_texture(uintptr_t texture) = 0;
};

} // namespace ui
