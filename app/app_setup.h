// Process-wide set-up shared by the app and its tests.
#pragma once

namespace studio {

// Before QApplication: Qt Multimedia's GStreamer backend (the FFmpeg backend crashes without an audio device,
// see env-setup.md §3.4) unless QT_MEDIA_BACKEND is set, and the high-DPI rounding policy (fractional scales
// stay fractional).
void prepareEnvironment();
// After QApplication: organisation / application names (QSettings), version, window icon.
void setApplicationInfo();

}  // namespace studio
