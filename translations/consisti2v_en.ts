<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="en_US">
<context>
    <name>QObject</name>
    <message>
        <source>No model folder chosen.</source>
        <translation>No model folder chosen.</translation>
    </message>
    <message>
        <source>The folder %1 does not exist.</source>
        <translation>The folder %1 does not exist.</translation>
    </message>
    <message>
        <source>%1 components, weights: %2</source>
        <translation>%1 components, weights: %2</translation>
    </message>
    <message>
        <source>none</source>
        <translation>none</translation>
    </message>
    <message>
        <source>Not enough memory for the model</source>
        <translation>Not enough memory for the model</translation>
    </message>
    <message>
        <source>The model does not fit into memory. Choose fp16 precision (Hardware → Precision) or close other programs that use the GPU.</source>
        <translation>The model does not fit into memory. Choose fp16 precision (Hardware → Precision) or close other programs that use the GPU.</translation>
    </message>
    <message>
        <source>The model cannot be used</source>
        <translation>The model cannot be used</translation>
    </message>
    <message>
        <source>%1 is not a ConsistI2V model folder. Choose the folder that contains model_index.json (with unet, vae, text_encoder, tokenizer and scheduler inside), or a Hugging Face cache folder of TIGER-Lab/ConsistI2V.</source>
        <translation>%1 is not a ConsistI2V model folder. Choose the folder that contains model_index.json (with unet, vae, text_encoder, tokenizer and scheduler inside), or a Hugging Face cache folder of TIGER-Lab/ConsistI2V.</translation>
    </message>
    <message>
        <source>The GPU cannot be used: %1
Choose Device → CPU or Automatic.</source>
        <translation>The GPU cannot be used: %1
Choose Device → CPU or Automatic.</translation>
    </message>
    <message>
        <source>The model in %1 is incomplete or damaged: %2
Download it again, or choose another folder.</source>
        <translation>The model in %1 is incomplete or damaged: %2
Download it again, or choose another folder.</translation>
    </message>
    <message>
        <source>Out of memory</source>
        <translation>Out of memory</translation>
    </message>
    <message>
        <source>The %1 ran out of memory for a %2 × %3 clip of %4 frames. Try a smaller size (for example 256 × 256), fewer frames%5.</source>
        <translation>The %1 ran out of memory for a %2 × %3 clip of %4 frames. Try a smaller size (for example 256 × 256), fewer frames%5.</translation>
    </message>
    <message>
        <source>GPU</source>
        <translation>GPU</translation>
    </message>
    <message>
        <source>computer</source>
        <translation>computer</translation>
    </message>
    <message>
        <source>, or fp16 precision (Hardware → Precision)</source>
        <translation>, or fp16 precision (Hardware → Precision)</translation>
    </message>
    <message>
        <source>A setting is out of range</source>
        <translation>A setting is out of range</translation>
    </message>
    <message>
        <source>%1
Change it in the settings panel and generate again.</source>
        <translation>%1
Change it in the settings panel and generate again.</translation>
    </message>
    <message>
        <source>The generation failed</source>
        <translation>The generation failed</translation>
    </message>
    <message>
        <source>The engine stopped with an error: %1</source>
        <translation>The engine stopped with an error: %1</translation>
    </message>
    <message>
        <source>Export failed</source>
        <translation>Export failed</translation>
    </message>
    <message>
        <source>The clip could not be written to %1: %2
Check that the folder exists and is writable, or try another format.</source>
        <translation>The clip could not be written to %1: %2
Check that the folder exists and is writable, or try another format.</translation>
    </message>
    <message>
        <source>Cannot open the picture</source>
        <translation>Cannot open the picture</translation>
    </message>
    <message>
        <source>%1 could not be read as a picture: %2
Use a PNG, JPEG or WebP file.</source>
        <translation>%1 could not be read as a picture: %2
Use a PNG, JPEG or WebP file.</translation>
    </message>
    <message>
        <source>MP4 video (H.264)</source>
        <translation>MP4 video (H.264)</translation>
    </message>
    <message>
        <source>Animated GIF</source>
        <translation>Animated GIF</translation>
    </message>
    <message>
        <source>Animated WebP</source>
        <translation>Animated WebP</translation>
    </message>
    <message>
        <source>PNG sequence (a folder)</source>
        <translation>PNG sequence (a folder)</translation>
    </message>
    <message>
        <source>demo model (trained on toy clips) · %1</source>
        <translation>demo model (trained on toy clips) · %1</translation>
    </message>
    <message>
        <source>The model does not fit into memory even at %1 precision. Close other programs that use the GPU, or choose Device → CPU (slower).</source>
        <translation>The model does not fit into memory even at %1 precision. Close other programs that use the GPU, or choose Device → CPU (slower).</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <source>Animate a still picture with ConsistI2V.</source>
        <translation>Animate a still picture with ConsistI2V.</translation>
    </message>
    <message>
        <source>Model folder to use.</source>
        <translation>Model folder to use.</translation>
    </message>
    <message>
        <source>First frame to open.</source>
        <translation>First frame to open.</translation>
    </message>
    <message>
        <source>A project (.ci2v) to open, or a picture to animate, or a clip exported by the studio to take its settings from (optional).</source>
        <translation>A project (.ci2v) to open, or a picture to animate, or a clip exported by the studio to take its settings from (optional).</translation>
    </message>
</context>
<context>
    <name>studio::Autosaver</name>
    <message>
        <source>Cannot create the autosave folder %1.</source>
        <translation>Cannot create the autosave folder %1.</translation>
    </message>
    <message>
        <source>Cannot write the autosave marker %1: %2</source>
        <translation>Cannot write the autosave marker %1: %2</translation>
    </message>
    <message>
        <source>Autosave is not running.</source>
        <translation>Autosave is not running.</translation>
    </message>
    <message>
        <source>Autosave refuses to write %1: it is the project file itself.</source>
        <translation>Autosave refuses to write %1: it is the project file itself.</translation>
    </message>
    <message>
        <source>%1 cannot be recovered: %2</source>
        <translation>%1 cannot be recovered: %2</translation>
    </message>
</context>
<context>
    <name>studio::CameraEditor</name>
    <message>
        <source>Presets</source>
        <translation>Presets</translation>
    </message>
    <message>
        <source>The paper's camera moves, built from your picture; edit them afterwards on the picture and the timeline</source>
        <translation>The paper's camera moves, built from your picture; edit them afterwards on the picture and the timeline</translation>
    </message>
    <message>
        <source>Pan left</source>
        <translation>Pan left</translation>
    </message>
    <message>
        <source>Pan right</source>
        <translation>Pan right</translation>
    </message>
    <message>
        <source>Zoom in</source>
        <translation>Zoom in</translation>
    </message>
    <message>
        <source>Zoom out</source>
        <translation>Zoom out</translation>
    </message>
    <message>
        <source>Tilt up</source>
        <translation>Tilt up</translation>
    </message>
    <message>
        <source>Tilt down</source>
        <translation>Tilt down</translation>
    </message>
    <message>
        <source>+ Key</source>
        <translation>+ Key</translation>
    </message>
    <message>
        <source>Add a keyframe on the current frame with the crop the path has there (or draw a crop on the picture)</source>
        <translation>Add a keyframe on the current frame with the crop the path has there (or draw a crop on the picture)</translation>
    </message>
    <message>
        <source>− Key</source>
        <translation>− Key</translation>
    </message>
    <message>
        <source>Delete the selected keyframe (Delete)</source>
        <translation>Delete the selected keyframe (Delete)</translation>
    </message>
    <message>
        <source>How the crop moves from the selected keyframe to the next</source>
        <translation>How the crop moves from the selected keyframe to the next</translation>
    </message>
    <message>
        <source>Load…</source>
        <translation>Load…</translation>
    </message>
    <message>
        <source>Load a camera path (JSON, the CLI's --camera format)</source>
        <translation>Load a camera path (JSON, the CLI's --camera format)</translation>
    </message>
    <message>
        <source>Save…</source>
        <translation>Save…</translation>
    </message>
    <message>
        <source>Save the camera path as JSON (for the CLI's --camera)</source>
        <translation>Save the camera path as JSON (for the CLI's --camera)</translation>
    </message>
    <message>
        <source>▶ Dry run</source>
        <translation>▶ Dry run</translation>
    </message>
    <message>
        <source>Play the camera video the model will be guided by, at once, before any diffusion</source>
        <translation>Play the camera video the model will be guided by, at once, before any diffusion</translation>
    </message>
    <message>
        <source>Still</source>
        <translation>Still</translation>
    </message>
    <message>
        <source>Remove the camera move (still camera)</source>
        <translation>Remove the camera move (still camera)</translation>
    </message>
    <message>
        <source>Edit the easing curve of K%1</source>
        <translation>Edit the easing curve of K%1</translation>
    </message>
    <message>
        <source>Move keyframe K%1</source>
        <translation>Move keyframe K%1</translation>
    </message>
    <message>
        <source>Resize keyframe K%1</source>
        <translation>Resize keyframe K%1</translation>
    </message>
    <message>
        <source>Add a keyframe on frame %1</source>
        <translation>Add a keyframe on frame %1</translation>
    </message>
    <message>
        <source>Delete keyframe K%1</source>
        <translation>Delete keyframe K%1</translation>
    </message>
    <message>
        <source>Move keyframe K%1 to frame %2</source>
        <translation>Move keyframe K%1 to frame %2</translation>
    </message>
    <message>
        <source>Set the easing after K%1 to %2</source>
        <translation>Set the easing after K%1 to %2</translation>
    </message>
    <message>
        <source>Remove the camera move</source>
        <translation>Remove the camera move</translation>
    </message>
    <message>
        <source>Still camera</source>
        <translation>Still camera</translation>
    </message>
    <message>
        <source>Preset %1 · %2 keyframes · edit it on the picture</source>
        <translation>Preset %1 · %2 keyframes · edit it on the picture</translation>
    </message>
    <message numerus="yes">
        <source>Custom path · %n keyframe(s)</source>
        <translation>
            <numerusform>Custom path · %n keyframe</numerusform>
            <numerusform>Custom path · %n keyframes</numerusform>
        </translation>
    </message>
    <message>
        <source> · frame %1: crop %2 × %3 at (%4, %5)</source>
        <translation> · frame %1: crop %2 × %3 at (%4, %5)</translation>
    </message>
    <message>
        <source>The zoom presets need a square video (width = height).</source>
        <translation>The zoom presets need a square video (width = height).</translation>
    </message>
</context>
<context>
    <name>studio::CameraTimeline</name>
    <message>
        <source>end</source>
        <translation>end</translation>
    </message>
    <message>
        <source>Still camera. Choose a preset, or draw a crop on the picture to start a path.</source>
        <translation>Still camera. Choose a preset, or draw a crop on the picture to start a path.</translation>
    </message>
    <message>
        <source>Easing</source>
        <translation>Easing</translation>
    </message>
    <message>
        <source>The camera path over time. Click a frame to see its crop, drag a keyframe to move it in time, double-click a frame to add a keyframe, right-click a segment to change its easing.&lt;br&gt;Keys: ←/→ frame, Home/End first/last frame, ↑/↓ previous/next keyframe, Ctrl+←/→ move the keyframe, Insert or Enter add a keyframe, Delete remove it.</source>
        <translation>The camera path over time. Click a frame to see its crop, drag a keyframe to move it in time, double-click a frame to add a keyframe, right-click a segment to change its easing.&lt;br&gt;Keys: ←/→ frame, Home/End first/last frame, ↑/↓ previous/next keyframe, Ctrl+←/→ move the keyframe, Insert or Enter add a keyframe, Delete remove it.</translation>
    </message>
</context>
<context>
    <name>studio::Document</name>
    <message>
        <source>Camera move: FrameInit switched to the paper's camera settings (τ %1, D0 %2)</source>
        <translation>Camera move: FrameInit switched to the paper's camera settings (τ %1, D0 %2)</translation>
    </message>
    <message>
        <source>Camera move: FrameInit switched to this model's camera settings (τ %1, D0 %2)</source>
        <translation>Camera move: FrameInit switched to this model's camera settings (τ %1, D0 %2)</translation>
    </message>
    <message>
        <source>Still camera: FrameInit back to τ %1, D0 %2</source>
        <translation>Still camera: FrameInit back to τ %1, D0 %2</translation>
    </message>
    <message>
        <source>The zoom presets need a square video (width = height); the video is %1 × %2.</source>
        <translation>The zoom presets need a square video (width = height); the video is %1 × %2.</translation>
    </message>
    <message>
        <source>There is no camera path to save: add keyframes or choose a preset first.</source>
        <translation>There is no camera path to save: add keyframes or choose a preset first.</translation>
    </message>
    <message>
        <source>Cannot write the camera path to %1: %2</source>
        <translation>Cannot write the camera path to %1: %2</translation>
    </message>
    <message>
        <source>Cannot read the camera path %1: %2</source>
        <translation>Cannot read the camera path %1: %2</translation>
    </message>
    <message>
        <source>%1 is not a valid camera path: %2</source>
        <translation>%1 is not a valid camera path: %2</translation>
    </message>
    <message>
        <source>The file %1 does not exist.</source>
        <translation>The file %1 does not exist.</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>Load a first frame first: open a picture, drop one on the canvas or paste one.</source>
        <translation>Load a first frame first: open a picture, drop one on the canvas or paste one.</translation>
    </message>
    <message>
        <source>Choose the model folder first (Model… in the toolbar).</source>
        <translation>Choose the model folder first (Model… in the toolbar).</translation>
    </message>
    <message>
        <source>The project's current result %1 does not exist (it has %2 results).</source>
        <translation>The project's current result %1 does not exist (it has %2 results).</translation>
    </message>
    <message>
        <source>Result %1 of the project has no frames.</source>
        <translation>Result %1 of the project has no frames.</translation>
    </message>
    <message>
        <source>Result %1 of the project has an empty frame.</source>
        <translation>Result %1 of the project has an empty frame.</translation>
    </message>
    <message>
        <source>The project's camera path is invalid: %1</source>
        <translation>The project's camera path is invalid: %1</translation>
    </message>
    <message>
        <source>%1 cannot be opened: %2</source>
        <translation>%1 cannot be opened: %2</translation>
    </message>
    <message>
        <source>The camera path moved with the new picture (%1 × %2 → %3 × %4)</source>
        <translation>The camera path moved with the new picture (%1 × %2 → %3 × %4)</translation>
    </message>
    <message>
        <source>its crops took the video's new shape (%1 × %2)</source>
        <translation>its crops took the video's new shape (%1 × %2)</translation>
    </message>
    <message numerus="yes">
        <source>%n keyframe(s) that no longer had a frame of their own merged into their neighbours</source>
        <translation>
            <numerusform>%n keyframe that no longer had a frame of its own merged into its neighbours</numerusform>
            <numerusform>%n keyframes that no longer had a frame of their own merged into their neighbours</numerusform>
        </translation>
    </message>
    <message>
        <source>keyframes that would share a frame moved apart</source>
        <translation>keyframes that would share a frame moved apart</translation>
    </message>
    <message>
        <source>Camera path: %1</source>
        <translation>Camera path: %1</translation>
    </message>
    <message>
        <source>its camera path moved from the %1 × %2 picture it was made from to this one</source>
        <translation>its camera path moved from the %1 × %2 picture it was made from to this one</translation>
    </message>
    <message>
        <source>scaled down from %1 × %2 (a project holds pictures up to %3 pixels a side and %4 megapixels)</source>
        <translation>scaled down from %1 × %2 (a project holds pictures up to %3 pixels a side and %4 megapixels)</translation>
    </message>
</context>
<context>
    <name>studio::EasingEditor</name>
    <message>
        <source>The easing of the selected segment: how the crop moves from one keyframe to the next over time. With a custom curve, drag its two handles.</source>
        <translation>The easing of the selected segment: how the crop moves from one keyframe to the next over time. With a custom curve, drag its two handles.</translation>
    </message>
</context>
<context>
    <name>studio::EditHistory</name>
    <message>
        <source>the prompt</source>
        <translation>the prompt</translation>
    </message>
    <message>
        <source>the negative prompt</source>
        <translation>the negative prompt</translation>
    </message>
    <message>
        <source>the width</source>
        <translation>the width</translation>
    </message>
    <message>
        <source>the height</source>
        <translation>the height</translation>
    </message>
    <message>
        <source>frames</source>
        <translation>frames</translation>
    </message>
    <message>
        <source>steps</source>
        <translation>steps</translation>
    </message>
    <message>
        <source>the sampler</source>
        <translation>the sampler</translation>
    </message>
    <message>
        <source>DDIM eta</source>
        <translation>DDIM eta</translation>
    </message>
    <message>
        <source>prompt strength</source>
        <translation>prompt strength</translation>
    </message>
    <message>
        <source>picture strength</source>
        <translation>picture strength</translation>
    </message>
    <message>
        <source>guidance rescale</source>
        <translation>guidance rescale</translation>
    </message>
    <message>
        <source>frame stride</source>
        <translation>frame stride</translation>
    </message>
    <message>
        <source>the seed</source>
        <translation>the seed</translation>
    </message>
    <message>
        <source>the noise</source>
        <translation>the noise</translation>
    </message>
    <message>
        <source>noise alpha</source>
        <translation>noise alpha</translation>
    </message>
    <message>
        <source>FrameInit</source>
        <translation>FrameInit</translation>
    </message>
    <message>
        <source>noise level τ</source>
        <translation>noise level τ</translation>
    </message>
    <message>
        <source>D0 spatial</source>
        <translation>D0 spatial</translation>
    </message>
    <message>
        <source>D0 temporal</source>
        <translation>D0 temporal</translation>
    </message>
    <message>
        <source>the filter</source>
        <translation>the filter</translation>
    </message>
    <message>
        <source>the Butterworth order</source>
        <translation>the Butterworth order</translation>
    </message>
    <message>
        <source>the camera</source>
        <translation>the camera</translation>
    </message>
    <message>
        <source>the camera path</source>
        <translation>the camera path</translation>
    </message>
    <message>
        <source>chunks</source>
        <translation>chunks</translation>
    </message>
    <message>
        <source>the fit</source>
        <translation>the fit</translation>
    </message>
    <message>
        <source>the device</source>
        <translation>the device</translation>
    </message>
    <message>
        <source>the precision</source>
        <translation>the precision</translation>
    </message>
    <message>
        <source>Change the camera</source>
        <translation>Change the camera</translation>
    </message>
    <message>
        <source>Edit %1</source>
        <translation>Edit %1</translation>
    </message>
    <message>
        <source>Set %1 to %2</source>
        <translation>Set %1 to %2</translation>
    </message>
    <message>
        <source>Change %1</source>
        <translation>Change %1</translation>
    </message>
    <message>
        <source>on</source>
        <translation>on</translation>
    </message>
    <message>
        <source>off</source>
        <translation>off</translation>
    </message>
    <message numerus="yes">
        <source>Change %n settings</source>
        <translation>
            <numerusform>Change %n setting</numerusform>
            <numerusform>Change %n settings</numerusform>
        </translation>
    </message>
    <message>
        <source>Remove the first frame</source>
        <translation>Remove the first frame</translation>
    </message>
    <message>
        <source>Open the picture %1</source>
        <translation>Open the picture %1</translation>
    </message>
    <message>
        <source>Use the %1</source>
        <translation>Use the %1</translation>
    </message>
    <message>
        <source>Change the first frame</source>
        <translation>Change the first frame</translation>
    </message>
</context>
<context>
    <name>studio::EngineWorker</name>
    <message>
        <source>Loading the model</source>
        <translation>Loading the model</translation>
    </message>
    <message>
        <source>Reading the prompt</source>
        <translation>Reading the prompt</translation>
    </message>
    <message>
        <source>Encoding the first frame</source>
        <translation>Encoding the first frame</translation>
    </message>
    <message>
        <source>Preparing the motion (FrameInit)</source>
        <translation>Preparing the motion (FrameInit)</translation>
    </message>
    <message>
        <source>Generating</source>
        <translation>Generating</translation>
    </message>
    <message>
        <source>Decoding the frames</source>
        <translation>Decoding the frames</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>Done</translation>
    </message>
    <message>
        <source>unknown error in the engine</source>
        <translation>unknown error in the engine</translation>
    </message>
    <message>
        <source>Preparing the player</source>
        <translation>Preparing the player</translation>
    </message>
    <message>
        <source>this build has no FFmpeg: the player shows the frames directly</source>
        <translation>this build has no FFmpeg: the player shows the frames directly</translation>
    </message>
    <message>
        <source>another model was asked for</source>
        <translation>another model was asked for</translation>
    </message>
    <message>
        <source>the studio is closing</source>
        <translation>the studio is closing</translation>
    </message>
    <message>
        <source>the model's loading was stopped</source>
        <translation>the model's loading was stopped</translation>
    </message>
    <message>
        <source>a queued generation needs another model first</source>
        <translation>a queued generation needs another model first</translation>
    </message>
</context>
<context>
    <name>studio::ExportDialog</name>
    <message>
        <source>Export clip</source>
        <translation>Export clip</translation>
    </message>
    <message>
        <source>MP4 for editors and players, GIF and WebP for the web and chats, PNG frames for compositing.</source>
        <translation>MP4 for editors and players, GIF and WebP for the web and chats, PNG frames for compositing.</translation>
    </message>
    <message>
        <source>Format</source>
        <translation>Format</translation>
    </message>
    <message>
        <source> fps</source>
        <translation> fps</translation>
    </message>
    <message>
        <source>Frames per second. The model's frames are about 8 fps apart at the reference frame stride.</source>
        <translation>Frames per second. The model's frames are about 8 fps apart at the reference frame stride.</translation>
    </message>
    <message>
        <source>Frame rate</source>
        <translation>Frame rate</translation>
    </message>
    <message>
        <source>Quality</source>
        <translation>Quality</translation>
    </message>
    <message>
        <source>Forever</source>
        <translation>Forever</translation>
    </message>
    <message>
        <source>GIF and WebP: how often the animation plays (Forever = loop). MP4 and PNG: the clip is written that many times.</source>
        <translation>GIF and WebP: how often the animation plays (Forever = loop). MP4 and PNG: the clip is written that many times.</translation>
    </message>
    <message>
        <source>Loop</source>
        <translation>Loop</translation>
    </message>
    <message>
        <source>Ping-pong (forward, then backward)</source>
        <translation>Ping-pong (forward, then backward)</translation>
    </message>
    <message>
        <source>Plays the clip forward then backward, so a loop has no jump.</source>
        <translation>Plays the clip forward then backward, so a loop has no jump.</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>Browse…</translation>
    </message>
    <message>
        <source>Save to</source>
        <translation>Save to</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>Export</translation>
    </message>
    <message>
        <source>Choose where to save the clip.</source>
        <translation>Choose where to save the clip.</translation>
    </message>
    <message>
        <source>Higher = better picture, bigger file</source>
        <translation>Higher = better picture, bigger file</translation>
    </message>
    <message>
        <source>GIF uses a 256-colour palette and PNG is lossless: no quality setting</source>
        <translation>GIF uses a 256-colour palette and PNG is lossless: no quality setting</translation>
    </message>
    <message>
        <source>%1 %</source>
        <translation>%1 %</translation>
    </message>
    <message>
        <source>lossless</source>
        <translation>lossless</translation>
    </message>
    <message>
        <source>256 colours</source>
        <translation>256 colours</translation>
    </message>
    <message>
        <source>Folder for the PNG frames</source>
        <translation>Folder for the PNG frames</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>Stop the export (no partial file is left)</source>
        <translation>Stop the export (no partial file is left)</translation>
    </message>
    <message>
        <source>Exporting…</source>
        <translation>Exporting…</translation>
    </message>
</context>
<context>
    <name>studio::ExportRunner</name>
    <message>
        <source>This build has no FFmpeg: exporting is not available.</source>
        <translation>This build has no FFmpeg: exporting is not available.</translation>
    </message>
</context>
<context>
    <name>studio::FirstFrameCanvas</name>
    <message>
        <source>Your first frame. Drop a picture here, open one (Ctrl+O) or paste one (Ctrl+V).
The bright frame is what the model sees at the chosen size.</source>
        <translation>Your first frame. Drop a picture here, open one (Ctrl+O) or paste one (Ctrl+V).
The bright frame is what the model sees at the chosen size.</translation>
    </message>
    <message>
        <source>Drop your first frame here

or click to open a picture (Ctrl+O),
or paste one (Ctrl+V)</source>
        <translation>Drop your first frame here

or click to open a picture (Ctrl+O),
or paste one (Ctrl+V)</translation>
    </message>
    <message>
        <source>Model sees %1 × %2 · picture %3 × %4</source>
        <translation>Model sees %1 × %2 · picture %3 × %4</translation>
    </message>
    <message>
        <source>Picture %1 × %2</source>
        <translation>Picture %1 × %2</translation>
    </message>
    <message>
        <source>K%1 · frame %2</source>
        <translation>K%1 · frame %2</translation>
    </message>
    <message>
        <source>K%1</source>
        <translation>K%1</translation>
    </message>
    <message>
        <source>Camera path: drag on the picture to draw the crop of frame %1</source>
        <translation>Camera path: drag on the picture to draw the crop of frame %1</translation>
    </message>
    <message>
        <source>The camera path's crops. Drag a crop to move it, a corner to resize it, or drag on free picture to draw the crop of the current frame.
Keys: the arrows move the selected crop a pixel (Shift: 10), + and − resize it, Delete removes its keyframe.</source>
        <translation>The camera path's crops. Drag a crop to move it, a corner to resize it, or drag on free picture to draw the crop of the current frame.
Keys: the arrows move the selected crop a pixel (Shift: 10), + and − resize it, Delete removes its keyframe.</translation>
    </message>
    <message>
        <source>Frame %1 · drag: move · corners: resize · keys: arrows, +/−, Delete</source>
        <translation>Frame %1 · drag: move · corners: resize · keys: arrows, +/−, Delete</translation>
    </message>
</context>
<context>
    <name>studio::FrameInitPanel</name>
    <message>
        <source>Camera video (dry run)</source>
        <translation>Camera video (dry run)</translation>
    </message>
    <message>
        <source>Low band · layout at τ</source>
        <translation>Low band · layout at τ</translation>
    </message>
    <message>
        <source>High band · noise</source>
        <translation>High band · noise</translation>
    </message>
    <message>
        <source>Mixed initial noise</source>
        <translation>Mixed initial noise</translation>
    </message>
    <message>
        <source>Low-pass mask</source>
        <translation>Low-pass mask</translation>
    </message>
    <message>
        <source>The crops of your camera path, resized to the video size: the layout the model is guided by.</source>
        <translation>The crops of your camera path, resized to the video size: the layout the model is guided by.</translation>
    </message>
    <message>
        <source>The camera (or still) video pushed to noise level τ, low frequencies only: the motion and layout FrameInit keeps.</source>
        <translation>The camera (or still) video pushed to noise level τ, low frequencies only: the motion and layout FrameInit keeps.</translation>
    </message>
    <message>
        <source>The high frequencies of fresh noise: the detail the model is free to invent.</source>
        <translation>The high frequencies of fresh noise: the detail the model is free to invent.</translation>
    </message>
    <message>
        <source>Low band + high band: the noise the denoising starts from.</source>
        <translation>Low band + high band: the noise the denoising starts from.</translation>
    </message>
    <message>
        <source>The filter over frequency space (centre = lowest frequencies) at this temporal frequency; its size follows D0 spatial and D0 temporal.</source>
        <translation>The filter over frequency space (centre = lowest frequencies) at this temporal frequency; its size follows D0 spatial and D0 temporal.</translation>
    </message>
    <message>
        <source>Load a model to see FrameInit's frequency split.</source>
        <translation>Load a model to see FrameInit's frequency split.</translation>
    </message>
    <message>
        <source>Updated in %1 ms (VAE once per picture or path, then only FFTs).</source>
        <translation>Updated in %1 ms (VAE once per picture or path, then only FFTs).</translation>
    </message>
    <message>
        <source>frame %1 / %2</source>
        <translation>frame %1 / %2</translation>
    </message>
    <message>
        <source>no first frame</source>
        <translation>no first frame</translation>
    </message>
    <message>
        <source>—</source>
        <translation>—</translation>
    </message>
    <message>
        <source>Updating…</source>
        <translation>Updating…</translation>
    </message>
    <message>
        <source>Play the preview over the frames (the camera editor's Dry run plays it from the first frame)</source>
        <translation>Play the preview over the frames (the camera editor's Dry run plays it from the first frame)</translation>
    </message>
    <message>
        <source>shown for the first chunk
(frames 1–%1)</source>
        <translation>shown for the first chunk
(frames 1–%1)</translation>
    </message>
</context>
<context>
    <name>studio::HistoryView</name>
    <message>
        <source>Every clip of this project. Hover to play one, select it to watch it; right-click to restore its settings, re-run it with a new seed, mark it as favourite or delete it.</source>
        <translation>Every clip of this project. Hover to play one, select it to watch it; right-click to restore its settings, re-run it with a new seed, mark it as favourite or delete it.</translation>
    </message>
    <message numerus="yes">
        <source>custom path (%n keyframe(s))</source>
        <translation>
            <numerusform>custom path (%n keyframe)</numerusform>
            <numerusform>custom path (%n keyframes)</numerusform>
        </translation>
    </message>
    <message>
        <source>still</source>
        <translation>still</translation>
    </message>
    <message>
        <source>&lt;b&gt;%1&lt;/b&gt;&lt;br&gt;</source>
        <translation>&lt;b&gt;%1&lt;/b&gt;&lt;br&gt;</translation>
    </message>
    <message>
        <source>Not: %1&lt;br&gt;</source>
        <translation>Not: %1&lt;br&gt;</translation>
    </message>
    <message>
        <source>Seed %1 · %2 × %3 · %4 frames (stride %5) · %6 steps %7 · generated in %8 s&lt;br&gt;</source>
        <translation>Seed %1 · %2 × %3 · %4 frames (stride %5) · %6 steps %7 · generated in %8 s&lt;br&gt;</translation>
    </message>
    <message>
        <source>CFG text %1 · image %2 · rescale %3&lt;br&gt;</source>
        <translation>CFG text %1 · image %2 · rescale %3&lt;br&gt;</translation>
    </message>
    <message>
        <source>FrameInit τ %1 · D0 %2 / %3 · %4 filter&lt;br&gt;</source>
        <translation>FrameInit τ %1 · D0 %2 / %3 · %4 filter&lt;br&gt;</translation>
    </message>
    <message>
        <source>FrameInit off&lt;br&gt;</source>
        <translation>FrameInit off&lt;br&gt;</translation>
    </message>
    <message>
        <source>Camera: %1 · %2 chunk(s) · %3 %4&lt;br&gt;</source>
        <translation>Camera: %1 · %2 chunk(s) · %3 %4&lt;br&gt;</translation>
    </message>
    <message>
        <source>#%1 · seed %2</source>
        <translation>#%1 · seed %2</translation>
    </message>
    <message>
        <source>Restore these settings</source>
        <translation>Restore these settings</translation>
    </message>
    <message>
        <source>Re-run with a new seed</source>
        <translation>Re-run with a new seed</translation>
    </message>
    <message>
        <source>Remove from favourites</source>
        <translation>Remove from favourites</translation>
    </message>
    <message>
        <source>Mark as favourite</source>
        <translation>Mark as favourite</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Delete</translation>
    </message>
</context>
<context>
    <name>studio::LanguageMenu</name>
    <message>
        <source>&amp;Language</source>
        <translation>&amp;Language</translation>
    </message>
    <message>
        <source>&amp;System language</source>
        <translation>&amp;System language</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Language</translation>
    </message>
    <message>
        <source>The new language applies the next time ConsistI2V Studio starts.</source>
        <translation>The new language applies the next time ConsistI2V Studio starts.</translation>
    </message>
</context>
<context>
    <name>studio::MainWindow</name>
    <message>
        <source>Pictures (*.png *.jpg *.jpeg *.webp *.bmp *.tif *.tiff *.gif);;All files (*)</source>
        <translation>Pictures (*.png *.jpg *.jpeg *.webp *.bmp *.tif *.tiff *.gif);;All files (*)</translation>
    </message>
    <message>
        <source>ConsistI2V Studio</source>
        <translation>ConsistI2V Studio</translation>
    </message>
    <message>
        <source>First frame</source>
        <translation>First frame</translation>
    </message>
    <message>
        <source>Prompt</source>
        <translation>Prompt</translation>
    </message>
    <message>
        <source>Describe the motion, e.g. “waves roll onto the beach at sunset”</source>
        <translation>Describe the motion, e.g. “waves roll onto the beach at sunset”</translation>
    </message>
    <message>
        <source>What should happen in the clip. Earlier prompts are in the drop-down.</source>
        <translation>What should happen in the clip. Earlier prompts are in the drop-down.</translation>
    </message>
    <message>
        <source>What to avoid (optional), e.g. “blurry, distorted”</source>
        <translation>What to avoid (optional), e.g. “blurry, distorted”</translation>
    </message>
    <message>
        <source>Things the clip should not show. Earlier negative prompts are in the drop-down.</source>
        <translation>Things the clip should not show. Earlier negative prompts are in the drop-down.</translation>
    </message>
    <message>
        <source>Negative prompt</source>
        <translation>Negative prompt</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>Model</translation>
    </message>
    <message>
        <source>Generate</source>
        <translation>Generate</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>Result</translation>
    </message>
    <message>
        <source>FrameInit &amp;&amp; camera preview</source>
        <translation>FrameInit &amp;&amp; camera preview</translation>
    </message>
    <message>
        <source>What FrameInit starts the denoising from, live as you change τ, D0, the filter, the seed or the camera path — without running the model</source>
        <translation>What FrameInit starts the denoising from, live as you change τ, D0, the filter, the seed or the camera path — without running the model</translation>
    </message>
    <message>
        <source>Progress</source>
        <translation>Progress</translation>
    </message>
    <message>
        <source>Results</source>
        <translation>Results</translation>
    </message>
    <message>
        <source>Copy seed</source>
        <translation>Copy seed</translation>
    </message>
    <message>
        <source>Copy the seed of the selected result to the clipboard</source>
        <translation>Copy the seed of the selected result to the clipboard</translation>
    </message>
    <message>
        <source>Use seed</source>
        <translation>Use seed</translation>
    </message>
    <message>
        <source>Generate the next clip with the seed of the selected result (to vary the other settings)</source>
        <translation>Generate the next clip with the seed of the selected result (to vary the other settings)</translation>
    </message>
    <message>
        <source>The longest the window was unresponsive during the last generation</source>
        <translation>The longest the window was unresponsive during the last generation</translation>
    </message>
    <message>
        <source>&amp;Open picture…</source>
        <translation>&amp;Open picture…</translation>
    </message>
    <message>
        <source>Open a first frame</source>
        <translation>Open a first frame</translation>
    </message>
    <message>
        <source>&amp;Paste picture</source>
        <translation>&amp;Paste picture</translation>
    </message>
    <message>
        <source>Use the picture on the clipboard as the first frame</source>
        <translation>Use the picture on the clipboard as the first frame</translation>
    </message>
    <message>
        <source>Open &amp;example picture</source>
        <translation>Open &amp;example picture</translation>
    </message>
    <message>
        <source>Try the studio with the bundled example picture</source>
        <translation>Try the studio with the bundled example picture</translation>
    </message>
    <message>
        <source>Choose &amp;model folder…</source>
        <translation>Choose &amp;model folder…</translation>
    </message>
    <message>
        <source>Ctrl+M</source>
        <translation>Ctrl+M</translation>
    </message>
    <message>
        <source>Choose the ConsistI2V model folder</source>
        <translation>Choose the ConsistI2V model folder</translation>
    </message>
    <message>
        <source>&amp;Generate</source>
        <translation>&amp;Generate</translation>
    </message>
    <message>
        <source>Ctrl+Return</source>
        <translation>Ctrl+Return</translation>
    </message>
    <message>
        <source>Animate the first frame</source>
        <translation>Animate the first frame</translation>
    </message>
    <message>
        <source>&amp;Cancel</source>
        <translation>&amp;Cancel</translation>
    </message>
    <message>
        <source>Stop the running generation</source>
        <translation>Stop the running generation</translation>
    </message>
    <message>
        <source>&amp;Play / pause</source>
        <translation>&amp;Play / pause</translation>
    </message>
    <message>
        <source>Play or pause the result</source>
        <translation>Play or pause the result</translation>
    </message>
    <message>
        <source>&amp;Next frame</source>
        <translation>&amp;Next frame</translation>
    </message>
    <message>
        <source>Show the next frame</source>
        <translation>Show the next frame</translation>
    </message>
    <message>
        <source>P&amp;revious frame</source>
        <translation>P&amp;revious frame</translation>
    </message>
    <message>
        <source>Show the previous frame</source>
        <translation>Show the previous frame</translation>
    </message>
    <message>
        <source>&amp;Export…</source>
        <translation>&amp;Export…</translation>
    </message>
    <message>
        <source>Ctrl+E</source>
        <translation>Ctrl+E</translation>
    </message>
    <message>
        <source>Save the result as MP4, GIF, WebP or PNG frames</source>
        <translation>Save the result as MP4, GIF, WebP or PNG frames</translation>
    </message>
    <message>
        <source>&amp;Load settings…</source>
        <translation>&amp;Load settings…</translation>
    </message>
    <message>
        <source>Load generation settings from a JSON file</source>
        <translation>Load generation settings from a JSON file</translation>
    </message>
    <message>
        <source>&amp;Save settings…</source>
        <translation>&amp;Save settings…</translation>
    </message>
    <message>
        <source>Save the generation settings as JSON</source>
        <translation>Save the generation settings as JSON</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Quit</translation>
    </message>
    <message>
        <source>Quit the studio</source>
        <translation>Quit the studio</translation>
    </message>
    <message>
        <source>&amp;Reset settings</source>
        <translation>&amp;Reset settings</translation>
    </message>
    <message>
        <source>Every setting back to the reference defaults</source>
        <translation>Every setting back to the reference defaults</translation>
    </message>
    <message>
        <source>Ctrl+Enter</source>
        <translation>Ctrl+Enter</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;File</translation>
    </message>
    <message>
        <source>&amp;Download model…</source>
        <translation>&amp;Download model…</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>&amp;Edit</translation>
    </message>
    <message>
        <source>&amp;Undo</source>
        <translation>&amp;Undo</translation>
    </message>
    <message>
        <source>&amp;Redo</source>
        <translation>&amp;Redo</translation>
    </message>
    <message>
        <source>&amp;Playback</source>
        <translation>&amp;Playback</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Help</translation>
    </message>
    <message>
        <source>&amp;Keyboard shortcuts</source>
        <translation>&amp;Keyboard shortcuts</translation>
    </message>
    <message>
        <source>Keyboard shortcuts</source>
        <translation>Keyboard shortcuts</translation>
    </message>
    <message>
        <source>&amp;About</source>
        <translation>&amp;About</translation>
    </message>
    <message>
        <source>About ConsistI2V Studio</source>
        <translation>About ConsistI2V Studio</translation>
    </message>
    <message>
        <source>ConsistI2V Studio %1
Animates a still picture with the ConsistI2V image-to-video model (Ren et al., 2024), natively in C++.</source>
        <translation>ConsistI2V Studio %1
Animates a still picture with the ConsistI2V image-to-video model (Ren et al., 2024), natively in C++.</translation>
    </message>
    <message>
        <source>Main</source>
        <translation>Main</translation>
    </message>
    <message>
        <source>dropped picture</source>
        <translation>dropped picture</translation>
    </message>
    <message>
        <source>Seed %1 copied to the clipboard</source>
        <translation>Seed %1 copied to the clipboard</translation>
    </message>
    <message>
        <source>Use seed %1</source>
        <translation>Use seed %1</translation>
    </message>
    <message>
        <source>The next clip uses seed %1</source>
        <translation>The next clip uses seed %1</translation>
    </message>
    <message>
        <source>First frame: %1 (%2 × %3)</source>
        <translation>First frame: %1 (%2 × %3)</translation>
    </message>
    <message>
        <source>Model ready</source>
        <translation>Model ready</translation>
    </message>
    <message>
        <source>Model not usable</source>
        <translation>Model not usable</translation>
    </message>
    <message>
        <source>Loading model…</source>
        <translation>Loading model…</translation>
    </message>
    <message>
        <source>Loading %1 …</source>
        <translation>Loading %1 …</translation>
    </message>
    <message>
        <source>Loaded on %1 (%2) in %3 s</source>
        <translation>Loaded on %1 (%2) in %3 s</translation>
    </message>
    <message>
        <source>Done in %1 · seed %2</source>
        <translation>Done in %1 · seed %2</translation>
    </message>
    <message>
        <source>The player shows the frames directly (%1)</source>
        <translation>The player shows the frames directly (%1)</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Failed</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>Cancelled</translation>
    </message>
    <message>
        <source>Saved %1%2</source>
        <translation>Saved %1%2</translation>
    </message>
    <message>
        <source>Exported %1</source>
        <translation>Exported %1</translation>
    </message>
    <message>
        <source>Export cancelled; no file was written.</source>
        <translation>Export cancelled; no file was written.</translation>
    </message>
    <message>
        <source>Camera preset</source>
        <translation>Camera preset</translation>
    </message>
    <message>
        <source>Apply the camera preset %1</source>
        <translation>Apply the camera preset %1</translation>
    </message>
    <message>
        <source>Camera preset %1: edit it on the picture and the timeline</source>
        <translation>Camera preset %1: edit it on the picture and the timeline</translation>
    </message>
    <message>
        <source>The seed is random: shown with seed 0.</source>
        <translation>The seed is random: shown with seed 0.</translation>
    </message>
    <message>
        <source>No preview: %1</source>
        <translation>No preview: %1</translation>
    </message>
    <message>
        <source>(from the running generation)</source>
        <translation>(from the running generation)</translation>
    </message>
    <message>
        <source>Camera video (dry run)</source>
        <translation>Camera video (dry run)</translation>
    </message>
    <message>
        <source>Still first frame</source>
        <translation>Still first frame</translation>
    </message>
    <message>
        <source>Camera video: %1</source>
        <translation>Camera video: %1</translation>
    </message>
    <message>
        <source>Open a first frame to see FrameInit's frequency split.</source>
        <translation>Open a first frame to see FrameInit's frequency split.</translation>
    </message>
    <message>
        <source>Load a model to see FrameInit's frequency split (the camera video needs none).</source>
        <translation>Load a model to see FrameInit's frequency split (the camera video needs none).</translation>
    </message>
    <message>
        <source>FrameInit is off: the denoising starts from plain noise.</source>
        <translation>FrameInit is off: the denoising starts from plain noise.</translation>
    </message>
    <message>
        <source>Load camera path</source>
        <translation>Load camera path</translation>
    </message>
    <message>
        <source>Camera paths (*.json);;All files (*)</source>
        <translation>Camera paths (*.json);;All files (*)</translation>
    </message>
    <message>
        <source>Camera path not loaded</source>
        <translation>Camera path not loaded</translation>
    </message>
    <message>
        <source>Load the camera path %1</source>
        <translation>Load the camera path %1</translation>
    </message>
    <message>
        <source>Camera path loaded from %1</source>
        <translation>Camera path loaded from %1</translation>
    </message>
    <message>
        <source>Save camera path</source>
        <translation>Save camera path</translation>
    </message>
    <message>
        <source>Camera paths (*.json)</source>
        <translation>Camera paths (*.json)</translation>
    </message>
    <message>
        <source>Camera path not saved</source>
        <translation>Camera path not saved</translation>
    </message>
    <message>
        <source>Camera path saved to %1 (use it with consisti2v generate --camera)</source>
        <translation>Camera path saved to %1 (use it with consisti2v generate --camera)</translation>
    </message>
    <message>
        <source>Open first frame</source>
        <translation>Open first frame</translation>
    </message>
    <message>
        <source>pasted picture</source>
        <translation>pasted picture</translation>
    </message>
    <message>
        <source>Nothing to paste</source>
        <translation>Nothing to paste</translation>
    </message>
    <message>
        <source>The clipboard holds no picture. Copy a picture (or a picture file) and paste again.</source>
        <translation>The clipboard holds no picture. Copy a picture (or a picture file) and paste again.</translation>
    </message>
    <message>
        <source>example picture</source>
        <translation>example picture</translation>
    </message>
    <message>
        <source>Checking the folder…</source>
        <translation>Checking the folder…</translation>
    </message>
    <message>
        <source>%1 — loading…</source>
        <translation>%1 — loading…</translation>
    </message>
    <message>
        <source>Cannot generate yet</source>
        <translation>Cannot generate yet</translation>
    </message>
    <message>
        <source>Starting</source>
        <translation>Starting</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>Cancelling…</translation>
    </message>
    <message>
        <source>Cancelling after the current step…</source>
        <translation>Cancelling after the current step…</translation>
    </message>
    <message>
        <source>UI max gap %1 ms</source>
        <translation>UI max gap %1 ms</translation>
    </message>
    <message>
        <source>Nothing to export yet</source>
        <translation>Nothing to export yet</translation>
    </message>
    <message>
        <source>Generate a clip first (Ctrl+Return), then export it.</source>
        <translation>Generate a clip first (Ctrl+Return), then export it.</translation>
    </message>
    <message>
        <source>Load settings</source>
        <translation>Load settings</translation>
    </message>
    <message>
        <source>Settings (*.json)</source>
        <translation>Settings (*.json)</translation>
    </message>
    <message>
        <source>Load settings from %1</source>
        <translation>Load settings from %1</translation>
    </message>
    <message>
        <source>Cannot load the settings</source>
        <translation>Cannot load the settings</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>Save settings</source>
        <translation>Save settings</translation>
    </message>
    <message>
        <source>Cannot save the settings</source>
        <translation>Cannot save the settings</translation>
    </message>
    <message>
        <source>Reset settings</source>
        <translation>Reset settings</translation>
    </message>
    <message>
        <source>Autosave failed: %1</source>
        <translation>Autosave failed: %1</translation>
    </message>
    <message numerus="yes">
        <source>%n more generation(s) queued</source>
        <translation>
            <numerusform>%n more generation queued</numerusform>
            <numerusform>%n more generations queued</numerusform>
        </translation>
    </message>
    <message>
        <source>Restore</source>
        <translation>Restore</translation>
    </message>
    <message>
        <source>Restore every setting of the selected clip (undoable)</source>
        <translation>Restore every setting of the selected clip (undoable)</translation>
    </message>
    <message>
        <source>Re-run</source>
        <translation>Re-run</translation>
    </message>
    <message>
        <source>Generate the selected clip's settings again with a new seed</source>
        <translation>Generate the selected clip's settings again with a new seed</translation>
    </message>
    <message>
        <source>★</source>
        <translation>★</translation>
    </message>
    <message>
        <source>Mark the selected clip as favourite (or not)</source>
        <translation>Mark the selected clip as favourite (or not)</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Delete</translation>
    </message>
    <message>
        <source>Delete the selected clip from the history</source>
        <translation>Delete the selected clip from the history</translation>
    </message>
    <message>
        <source>Recover</source>
        <translation>Recover</translation>
    </message>
    <message>
        <source>Discard</source>
        <translation>Discard</translation>
    </message>
    <message>
        <source>&amp;New project</source>
        <translation>&amp;New project</translation>
    </message>
    <message>
        <source>Start an empty project (the model and the machine settings stay)</source>
        <translation>Start an empty project (the model and the machine settings stay)</translation>
    </message>
    <message>
        <source>Open &amp;project…</source>
        <translation>Open &amp;project…</translation>
    </message>
    <message>
        <source>Ctrl+Shift+O</source>
        <translation>Ctrl+Shift+O</translation>
    </message>
    <message>
        <source>Open a ConsistI2V Studio project (.ci2v)</source>
        <translation>Open a ConsistI2V Studio project (.ci2v)</translation>
    </message>
    <message>
        <source>Save pro&amp;ject</source>
        <translation>Save pro&amp;ject</translation>
    </message>
    <message>
        <source>Save the first frame, the settings, the camera path and the history as a project</source>
        <translation>Save the first frame, the settings, the camera path and the history as a project</translation>
    </message>
    <message>
        <source>Save project &amp;as…</source>
        <translation>Save project &amp;as…</translation>
    </message>
    <message>
        <source>Save the project under a new name</source>
        <translation>Save the project under a new name</translation>
    </message>
    <message>
        <source>&amp;Queue a batch…</source>
        <translation>&amp;Queue a batch…</translation>
    </message>
    <message>
        <source>Ctrl+B</source>
        <translation>Ctrl+B</translation>
    </message>
    <message>
        <source>Several generations one after another: N seeds, or a sweep over τ or D0</source>
        <translation>Several generations one after another: N seeds, or a sweep over τ or D0</translation>
    </message>
    <message>
        <source>Untitled</source>
        <translation>Untitled</translation>
    </message>
    <message>
        <source>%1[*] — ConsistI2V Studio</source>
        <translation>%1[*] — ConsistI2V Studio</translation>
    </message>
    <message>
        <source>The last project could not be opened: %1</source>
        <translation>The last project could not be opened: %1</translation>
    </message>
    <message>
        <source>The studio did not close properly last time. Unsaved work from %1%2 can be recovered.</source>
        <translation>The studio did not close properly last time. Unsaved work from %1%2 can be recovered.</translation>
    </message>
    <message>
        <source> (project %1)</source>
        <translation> (project %1)</translation>
    </message>
    <message>
        <source>Recovery failed</source>
        <translation>Recovery failed</translation>
    </message>
    <message>
        <source>Recovered the unsaved work; save it as a project to keep it.</source>
        <translation>Recovered the unsaved work; save it as a project to keep it.</translation>
    </message>
    <message>
        <source>New project</source>
        <translation>New project</translation>
    </message>
    <message>
        <source>Open project</source>
        <translation>Open project</translation>
    </message>
    <message>
        <source>ConsistI2V Studio projects (*.ci2v);;All files (*)</source>
        <translation>ConsistI2V Studio projects (*.ci2v);;All files (*)</translation>
    </message>
    <message>
        <source>Cannot open the project</source>
        <translation>Cannot open the project</translation>
    </message>
    <message>
        <source>Opened %1</source>
        <translation>Opened %1</translation>
    </message>
    <message>
        <source>Save project</source>
        <translation>Save project</translation>
    </message>
    <message>
        <source>ConsistI2V Studio projects (*.ci2v)</source>
        <translation>ConsistI2V Studio projects (*.ci2v)</translation>
    </message>
    <message>
        <source>Cannot save the project</source>
        <translation>Cannot save the project</translation>
    </message>
    <message>
        <source>Saved %1</source>
        <translation>Saved %1</translation>
    </message>
    <message>
        <source>Restore the settings of %1</source>
        <translation>Restore the settings of %1</translation>
    </message>
    <message>
        <source>Settings restored from %1 (seed %2)</source>
        <translation>Settings restored from %1 (seed %2)</translation>
    </message>
    <message>
        <source>Cannot restore the settings</source>
        <translation>Cannot restore the settings</translation>
    </message>
    <message>
        <source>%1 carries settings this version cannot use: %2</source>
        <translation>%1 carries settings this version cannot use: %2</translation>
    </message>
    <message>
        <source>Restore the settings of #%1</source>
        <translation>Restore the settings of #%1</translation>
    </message>
    <message>
        <source>Settings of #%1 restored (seed %2)</source>
        <translation>Settings of #%1 restored (seed %2)</translation>
    </message>
    <message>
        <source>Clip #%1 deleted</source>
        <translation>Clip #%1 deleted</translation>
    </message>
    <message>
        <source>Cannot queue this generation</source>
        <translation>Cannot queue this generation</translation>
    </message>
    <message numerus="yes">
        <source>%n generation(s) queued</source>
        <translation>
            <numerusform>%n generation queued</numerusform>
            <numerusform>%n generations queued</numerusform>
        </translation>
    </message>
    <message>
        <source>Queue a batch</source>
        <translation>Queue a batch</translation>
    </message>
    <message>
        <source>The same settings with N seeds</source>
        <translation>The same settings with N seeds</translation>
    </message>
    <message>
        <source>A sweep over the noise level τ</source>
        <translation>A sweep over the noise level τ</translation>
    </message>
    <message>
        <source>A sweep over D0 spatial</source>
        <translation>A sweep over D0 spatial</translation>
    </message>
    <message>
        <source>A sweep over D0 temporal</source>
        <translation>A sweep over D0 temporal</translation>
    </message>
    <message>
        <source>Batch</source>
        <translation>Batch</translation>
    </message>
    <message>
        <source>Generations</source>
        <translation>Generations</translation>
    </message>
    <message>
        <source>From (first seed)</source>
        <translation>From (first seed)</translation>
    </message>
    <message>
        <source>To</source>
        <translation>To</translation>
    </message>
    <message>
        <source>Queue</source>
        <translation>Queue</translation>
    </message>
    <message>
        <source>Unsaved changes</source>
        <translation>Unsaved changes</translation>
    </message>
    <message>
        <source>Save the changes to %1?</source>
        <translation>Save the changes to %1?</translation>
    </message>
    <message>
        <source>Demo model (toy clips only) · %1 · the real one: File → Download model…</source>
        <translation>Demo model (toy clips only) · %1 · the real one: File → Download model…</translation>
    </message>
    <message>
        <source>This is the small demo model the project trained on toy clips (shapes moving on simple backgrounds): it shows how the studio works, not what ConsistI2V can do. Get the real model with File → Download model…</source>
        <translation>This is the small demo model the project trained on toy clips (shapes moving on simple backgrounds): it shows how the studio works, not what ConsistI2V can do. Get the real model with File → Download model…</translation>
    </message>
    <message>
        <source>Recovered, but not yet safe</source>
        <translation>Recovered, but not yet safe</translation>
    </message>
    <message>
        <source>The recovered work could not be autosaved (%1); its recovery file %2 is kept. Save it as a project to keep it.</source>
        <translation>The recovered work could not be autosaved (%1); its recovery file %2 is kept. Save it as a project to keep it.</translation>
    </message>
    <message>
        <source>Save the changes to %1 first?</source>
        <translation>Save the changes to %1 first?</translation>
    </message>
    <message>
        <source>Save this untitled work as a project first?</source>
        <translation>Save this untitled work as a project first?</translation>
    </message>
    <message>
        <source>Otherwise they are lost.</source>
        <translation>Otherwise they are lost.</translation>
    </message>
    <message>
        <source>Unsaved work</source>
        <translation>Unsaved work</translation>
    </message>
    <message>
        <source>The untitled work could not be kept for the next start (%1). Save it as a project before closing?</source>
        <translation>The untitled work could not be kept for the next start (%1). Save it as a project before closing?</translation>
    </message>
    <message>
        <source>The clip this export was opened for has been deleted.</source>
        <translation>The clip this export was opened for has been deleted.</translation>
    </message>
    <message>
        <source>Cancel &amp;all</source>
        <translation>Cancel &amp;all</translation>
    </message>
    <message>
        <source>Shift+Esc</source>
        <translation>Shift+Esc</translation>
    </message>
    <message>
        <source>Stop the running generation and drop the queued ones</source>
        <translation>Stop the running generation and drop the queued ones</translation>
    </message>
    <message numerus="yes">
        <source>%n more generation(s) failed after this one. The last: %1</source>
        <translation>
            <numerusform>%n more generation failed after this one. The last: %1</numerusform>
            <numerusform>%n more generations failed after this one. The last: %1</numerusform>
        </translation>
    </message>
    <message>
        <source>Generation failed: %1</source>
        <translation>Generation failed: %1</translation>
    </message>
    <message numerus="yes">
        <source>Cancelling after the current step; %n queued generation(s) dropped</source>
        <translation>
            <numerusform>Cancelling after the current step; %n queued generation dropped</numerusform>
            <numerusform>Cancelling after the current step; %n queued generations dropped</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>A generation is running and %n more are queued.</source>
        <translation>
            <numerusform>A generation is running and %n more is queued.</numerusform>
            <numerusform>A generation is running and %n more are queued.</numerusform>
        </translation>
    </message>
    <message>
        <source>A generation is running.</source>
        <translation>A generation is running.</translation>
    </message>
    <message>
        <source>Generation running</source>
        <translation>Generation running</translation>
    </message>
    <message>
        <source>Stop and close the studio? What it has not finished is lost.</source>
        <translation>Stop and close the studio? What it has not finished is lost.</translation>
    </message>
    <message>
        <source>Stop and close</source>
        <translation>Stop and close</translation>
    </message>
    <message>
        <source>autosave is not running</source>
        <translation>autosave is not running</translation>
    </message>
    <message>
        <source>The work could not be kept in the recovery file either (%1). Close anyway and lose it?</source>
        <translation>The work could not be kept in the recovery file either (%1). Close anyway and lose it?</translation>
    </message>
    <message>
        <source>Loading %1 … %2 %</source>
        <translation>Loading %1 … %2 %</translation>
    </message>
    <message>
        <source>Not loaded: the loading was stopped. It loads at the next generation.</source>
        <translation>Not loaded: the loading was stopped. It loads at the next generation.</translation>
    </message>
    <message>
        <source>The last session could not be restored</source>
        <translation>The last session could not be restored</translation>
    </message>
    <message>
        <source>%1

The file is kept as %2.</source>
        <translation>%1

The file is kept as %2.</translation>
    </message>
    <message>
        <source>%1

The file %2 is left as it is; this session's untitled work will not replace it.</source>
        <translation>%1

The file %2 is left as it is; this session's untitled work will not replace it.</translation>
    </message>
    <message>
        <source>%1 could not be restored at the start and is left as it is</source>
        <translation>%1 could not be restored at the start and is left as it is</translation>
    </message>
    <message>
        <source>Their clips would go into the project that comes next. Stop them?</source>
        <translation>Their clips would go into the project that comes next. Stop them?</translation>
    </message>
    <message>
        <source>Stop them</source>
        <translation>Stop them</translation>
    </message>
    <message>
        <source>Let them go on</source>
        <translation>Let them go on</translation>
    </message>
    <message>
        <source>Ready on %1 (%2)</source>
        <translation>Ready on %1 (%2)</translation>
    </message>
    <message>
        <source>Delete clip</source>
        <translation>Delete clip</translation>
    </message>
    <message>
        <source>Delete clip #%1 (seed %2)? This cannot be undone.</source>
        <translation>Delete clip #%1 (seed %2)? This cannot be undone.</translation>
    </message>
    <message>
        <source>The project's model cannot be used: %1</source>
        <translation>The project's model cannot be used: %1</translation>
    </message>
    <message>
        <source>Re-run of #%1: %2</source>
        <translation>Re-run of #%1: %2</translation>
    </message>
    <message>
        <source>Loads when the queued generations (with the model they were queued with) are done</source>
        <translation>Loads when the queued generations (with the model they were queued with) are done</translation>
    </message>
    <message>
        <source>Loading for %1 (%2)…</source>
        <translation>Loading for %1 (%2)…</translation>
    </message>
    <message>
        <source>Autosave is off (%1); it tries again every minute.</source>
        <translation>Autosave is off (%1); it tries again every minute.</translation>
    </message>
    <message>
        <source>Another ConsistI2V Studio window has the last session open: this one starts empty (save its work as a project to keep it)</source>
        <translation>Another ConsistI2V Studio window has the last session open: this one starts empty (save its work as a project to keep it)</translation>
    </message>
    <message>
        <source> (project %1, which was saved after it)</source>
        <translation> (project %1, which was saved after it)</translation>
    </message>
    <message>
        <source>%1 was saved after this work, so it is recovered as untitled (Save asks for a name)</source>
        <translation>%1 was saved after this work, so it is recovered as untitled (Save asks for a name)</translation>
    </message>
    <message>
        <source>Discard the unsaved work</source>
        <translation>Discard the unsaved work</translation>
    </message>
    <message>
        <source>Discard the work from %1 for good? It cannot be recovered afterwards.</source>
        <translation>Discard the work from %1 for good? It cannot be recovered afterwards.</translation>
    </message>
    <message>
        <source>another ConsistI2V Studio window keeps its own untitled work there</source>
        <translation>another ConsistI2V Studio window keeps its own untitled work there</translation>
    </message>
    <message>
        <source>The negative prompt has no effect while the prompt and picture strengths are both 1 or less (it only steers guidance).</source>
        <translation>The negative prompt has no effect while the prompt and picture strengths are both 1 or less (it only steers guidance).</translation>
    </message>
    <message>
        <source>FrameInit is off: the denoising starts from plain noise, and the camera move only gives the first frame (its first crop).</source>
        <translation>FrameInit is off: the denoising starts from plain noise, and the camera move only gives the first frame (its first crop).</translation>
    </message>
    <message>
        <source>Using the downloaded ConsistI2V weights instead of the demo model.</source>
        <translation>Using the downloaded ConsistI2V weights instead of the demo model.</translation>
    </message>
    <message>
        <source>The model folder %1 could not be opened (%2); using the downloaded ConsistI2V weights.</source>
        <translation>The model folder %1 could not be opened (%2); using the downloaded ConsistI2V weights.</translation>
    </message>
    <message>
        <source>The model folder %1 could not be opened (%2); using the demo model.</source>
        <translation>The model folder %1 could not be opened (%2); using the demo model.</translation>
    </message>
    <message>
        <source>The last session's model could not be used (%1); using %2.</source>
        <translation>The last session's model could not be used (%1); using %2.</translation>
    </message>
</context>
<context>
    <name>studio::ModelDownloadDialog</name>
    <message>
        <source>Download the ConsistI2V model</source>
        <translation>Download the ConsistI2V model</translation>
    </message>
    <message>
        <source>&lt;b&gt;TIGER-Lab/ConsistI2V&lt;/b&gt; from the Hugging Face hub: about 6.7 GB (UNet, VAE, text encoder, tokenizer). An interrupted download continues where it stopped.</source>
        <translation>&lt;b&gt;TIGER-Lab/ConsistI2V&lt;/b&gt; from the Hugging Face hub: about 6.7 GB (UNet, VAE, text encoder, tokenizer). An interrupted download continues where it stopped.</translation>
    </message>
    <message>
        <source>Hugging Face cache, shared with other tools: %1</source>
        <translation>Hugging Face cache, shared with other tools: %1</translation>
    </message>
    <message>
        <source>A folder I choose:</source>
        <translation>A folder I choose:</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>Browse…</translation>
    </message>
    <message>
        <source>Folder for the model</source>
        <translation>Folder for the model</translation>
    </message>
    <message>
        <source>Ready.</source>
        <translation>Ready.</translation>
    </message>
    <message>
        <source>&amp;Download</source>
        <translation>&amp;Download</translation>
    </message>
    <message>
        <source>Done: %1</source>
        <translation>Done: %1</translation>
    </message>
    <message>
        <source>The download failed.</source>
        <translation>The download failed.</translation>
    </message>
    <message>
        <source>Cancelled. Download again to continue where it stopped.</source>
        <translation>Cancelled. Download again to continue where it stopped.</translation>
    </message>
    <message>
        <source>&amp;Cancel download</source>
        <translation>&amp;Cancel download</translation>
    </message>
    <message>
        <source>&amp;Close</source>
        <translation>&amp;Close</translation>
    </message>
    <message>
        <source>Choose the folder for the model first.</source>
        <translation>Choose the folder for the model first.</translation>
    </message>
    <message>
        <source>Asking the hub for the file list…</source>
        <translation>Asking the hub for the file list…</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>Cancelling…</translation>
    </message>
    <message>
        <source>File %1 of %2: %3%4</source>
        <translation>File %1 of %2: %3%4</translation>
    </message>
    <message>
        <source> (checking its sha256)</source>
        <translation> (checking its sha256)</translation>
    </message>
    <message>
        <source>%1 of %2 · %3/s · %4 left</source>
        <translation>%1 of %2 · %3/s · %4 left</translation>
    </message>
    <message>
        <source>&amp;Use it</source>
        <translation>&amp;Use it</translation>
    </message>
    <message>
        <source>The hub could not be reached, so nothing was downloaded. A complete copy of the model is already here: %1</source>
        <translation>The hub could not be reached, so nothing was downloaded. A complete copy of the model is already here: %1</translation>
    </message>
    <message>
        <source> (waiting: another download is fetching it)</source>
        <translation> (waiting: another download is fetching it)</translation>
    </message>
</context>
<context>
    <name>studio::ModelPicker</name>
    <message>
        <source>Model folder (ConsistI2V, diffusers layout)</source>
        <translation>Model folder (ConsistI2V, diffusers layout)</translation>
    </message>
    <message>
        <source>A ConsistI2V model folder (with model_index.json), a Hugging Face cache folder (models--TIGER-Lab--ConsistI2V) or the hub cache root.</source>
        <translation>A ConsistI2V model folder (with model_index.json), a Hugging Face cache folder (models--TIGER-Lab--ConsistI2V) or the hub cache root.</translation>
    </message>
    <message>
        <source>Folder…</source>
        <translation>Folder…</translation>
    </message>
    <message>
        <source>Choose the model folder</source>
        <translation>Choose the model folder</translation>
    </message>
    <message>
        <source>HF cache</source>
        <translation>HF cache</translation>
    </message>
    <message>
        <source>Use the model from the Hugging Face cache (downloaded with huggingface-cli or Python)</source>
        <translation>Use the model from the Hugging Face cache (downloaded with huggingface-cli or Python)</translation>
    </message>
    <message>
        <source>No model chosen yet.</source>
        <translation>No model chosen yet.</translation>
    </message>
    <message>
        <source>Choose the ConsistI2V model folder</source>
        <translation>Choose the ConsistI2V model folder</translation>
    </message>
</context>
<context>
    <name>studio::ParameterPanel</name>
    <message>
        <source>&lt;b&gt;τ — how much of your picture's layout seeds the motion&lt;/b&gt;&lt;br&gt;Before animating, FrameInit takes a blurred copy of your first frame and buries it under noise up to this level (1–999). &lt;b&gt;Lower&lt;/b&gt; τ (e.g. 600–750) keeps more of the picture's layout and colours: steadier, more faithful clips with gentler motion. &lt;b&gt;Higher&lt;/b&gt; τ (up to 999) gives the model more freedom: livelier motion, but the scene may drift from your picture.&lt;br&gt;Reference: 850 (750 with a camera move).</source>
        <translation>&lt;b&gt;τ — how much of your picture's layout seeds the motion&lt;/b&gt;&lt;br&gt;Before animating, FrameInit takes a blurred copy of your first frame and buries it under noise up to this level (1–999). &lt;b&gt;Lower&lt;/b&gt; τ (e.g. 600–750) keeps more of the picture's layout and colours: steadier, more faithful clips with gentler motion. &lt;b&gt;Higher&lt;/b&gt; τ (up to 999) gives the model more freedom: livelier motion, but the scene may drift from your picture.&lt;br&gt;Reference: 850 (750 with a camera move).</translation>
    </message>
    <message>
        <source>&lt;b&gt;D0 spatial — how much picture detail guides every frame&lt;/b&gt;&lt;br&gt;The size of the blur filter FrameInit applies in space, from 0 to 1. &lt;b&gt;Small&lt;/b&gt; values pass only broad shapes and colours of your picture to every frame (the model invents the details, so things can move more). &lt;b&gt;Large&lt;/b&gt; values pass finer structure too: frames stick closer to the first frame but can look frozen.&lt;br&gt;Reference: 0.25 (0.5 with a camera move).</source>
        <translation>&lt;b&gt;D0 spatial — how much picture detail guides every frame&lt;/b&gt;&lt;br&gt;The size of the blur filter FrameInit applies in space, from 0 to 1. &lt;b&gt;Small&lt;/b&gt; values pass only broad shapes and colours of your picture to every frame (the model invents the details, so things can move more). &lt;b&gt;Large&lt;/b&gt; values pass finer structure too: frames stick closer to the first frame but can look frozen.&lt;br&gt;Reference: 0.25 (0.5 with a camera move).</translation>
    </message>
    <message>
        <source>&lt;b&gt;D0 temporal — how quickly the layout may change over time&lt;/b&gt;&lt;br&gt;The same blur filter along time, from 0 to 1. &lt;b&gt;Small&lt;/b&gt; values keep one stable layout through the whole clip (calm, consistent scenes). &lt;b&gt;Large&lt;/b&gt; values let the layout change from frame to frame (faster changes, more risk of flicker).&lt;br&gt;Reference: 0.25 (0.5 with a camera move).</source>
        <translation>&lt;b&gt;D0 temporal — how quickly the layout may change over time&lt;/b&gt;&lt;br&gt;The same blur filter along time, from 0 to 1. &lt;b&gt;Small&lt;/b&gt; values keep one stable layout through the whole clip (calm, consistent scenes). &lt;b&gt;Large&lt;/b&gt; values let the layout change from frame to frame (faster changes, more risk of flicker).&lt;br&gt;Reference: 0.25 (0.5 with a camera move).</translation>
    </message>
    <message>
        <source>Motion &amp;&amp; consistency (FrameInit)</source>
        <translation>Motion &amp;&amp; consistency (FrameInit)</translation>
    </message>
    <message>
        <source>Seed the motion with the first frame's layout</source>
        <translation>Seed the motion with the first frame's layout</translation>
    </message>
    <message>
        <source>FrameInit: start from a blurred, noised copy of your picture instead of pure noise. Keeps the clip consistent with the first frame. Leave it on unless you want wild motion.</source>
        <translation>FrameInit: start from a blurred, noised copy of your picture instead of pure noise. Keeps the clip consistent with the first frame. Leave it on unless you want wild motion.</translation>
    </message>
    <message>
        <source>Noise level τ</source>
        <translation>Noise level τ</translation>
    </message>
    <message>
        <source>D0 spatial</source>
        <translation>D0 spatial</translation>
    </message>
    <message>
        <source>D0 temporal</source>
        <translation>D0 temporal</translation>
    </message>
    <message>
        <source>Gaussian (soft)</source>
        <translation>Gaussian (soft)</translation>
    </message>
    <message>
        <source>Butterworth</source>
        <translation>Butterworth</translation>
    </message>
    <message>
        <source>Ideal (sharp cut)</source>
        <translation>Ideal (sharp cut)</translation>
    </message>
    <message>
        <source>Box</source>
        <translation>Box</translation>
    </message>
    <message>
        <source>The shape of the FrameInit blur. Gaussian is soft and the reference; Ideal and Box cut hard (can ring); Butterworth is in between (see its order).</source>
        <translation>The shape of the FrameInit blur. Gaussian is soft and the reference; Ideal and Box cut hard (can ring); Butterworth is in between (see its order).</translation>
    </message>
    <message>
        <source>Filter</source>
        <translation>Filter</translation>
    </message>
    <message>
        <source>Butterworth filter order: higher = a sharper cut between kept and new detail.</source>
        <translation>Butterworth filter order: higher = a sharper cut between kept and new detail.</translation>
    </message>
    <message>
        <source>Butterworth order</source>
        <translation>Butterworth order</translation>
    </message>
    <message>
        <source>Guidance</source>
        <translation>Guidance</translation>
    </message>
    <message>
        <source>How strongly the clip follows the prompt. Higher = closer to the words, but colours can burn and motion stiffen. Reference: 7.5.</source>
        <translation>How strongly the clip follows the prompt. Higher = closer to the words, but colours can burn and motion stiffen. Reference: 7.5.</translation>
    </message>
    <message>
        <source>Prompt strength (text CFG)</source>
        <translation>Prompt strength (text CFG)</translation>
    </message>
    <message>
        <source>How strongly the clip follows the first frame. 1 = off (the reference); above 1 adds a third guidance pass (slower) that pulls every frame toward your picture.</source>
        <translation>How strongly the clip follows the first frame. 1 = off (the reference); above 1 adds a third guidance pass (slower) that pulls every frame toward your picture.</translation>
    </message>
    <message>
        <source>Picture strength (image CFG)</source>
        <translation>Picture strength (image CFG)</translation>
    </message>
    <message>
        <source>Tames over-saturated colours at high prompt strength (0 = off, 0.7 is common). Cannot be combined with picture strength above 1.</source>
        <translation>Tames over-saturated colours at high prompt strength (0 = off, 0.7 is common). Cannot be combined with picture strength above 1.</translation>
    </message>
    <message>
        <source>Guidance rescale</source>
        <translation>Guidance rescale</translation>
    </message>
    <message>
        <source>Sampling</source>
        <translation>Sampling</translation>
    </message>
    <message>
        <source>Denoising steps. More = finer detail and slower. Reference: 50; 20–25 for quick drafts.</source>
        <translation>Denoising steps. More = finer detail and slower. Reference: 50; 20–25 for quick drafts.</translation>
    </message>
    <message>
        <source>Steps</source>
        <translation>Steps</translation>
    </message>
    <message>
        <source>DDIM (reference)</source>
        <translation>DDIM (reference)</translation>
    </message>
    <message>
        <source>DPM-Solver++ 2M (fewer steps)</source>
        <translation>DPM-Solver++ 2M (fewer steps)</translation>
    </message>
    <message>
        <source>The denoising method. DDIM is the reference; DPM-Solver++ reaches similar quality in fewer steps.</source>
        <translation>The denoising method. DDIM is the reference; DPM-Solver++ reaches similar quality in fewer steps.</translation>
    </message>
    <message>
        <source>Sampler</source>
        <translation>Sampler</translation>
    </message>
    <message>
        <source>DDIM randomness per step: 0 = deterministic (the reference).</source>
        <translation>DDIM randomness per step: 0 = deterministic (the reference).</translation>
    </message>
    <message>
        <source>DDIM eta</source>
        <translation>DDIM eta</translation>
    </message>
    <message>
        <source>Random</source>
        <translation>Random</translation>
    </message>
    <message>
        <source>A new random seed for every run (the seed used is shown with each result).</source>
        <translation>A new random seed for every run (the seed used is shown with each result).</translation>
    </message>
    <message>
        <source>The same seed with the same settings gives the same clip.</source>
        <translation>The same seed with the same settings gives the same clip.</translation>
    </message>
    <message>
        <source>Roll</source>
        <translation>Roll</translation>
    </message>
    <message>
        <source>Roll a new fixed seed</source>
        <translation>Roll a new fixed seed</translation>
    </message>
    <message>
        <source>Seed</source>
        <translation>Seed</translation>
    </message>
    <message>
        <source>Video</source>
        <translation>Video</translation>
    </message>
    <message>
        <source>Frames per chunk, your first frame included. Reference: 16.</source>
        <translation>Frames per chunk, your first frame included. Reference: 16.</translation>
    </message>
    <message>
        <source>Frames</source>
        <translation>Frames</translation>
    </message>
    <message>
        <source>Time between generated frames, in frames of the training videos. Larger = more motion per frame (faster action); smaller = slow motion. Reference: 3.</source>
        <translation>Time between generated frames, in frames of the training videos. Larger = more motion per frame (faster action); smaller = slow motion. Reference: 3.</translation>
    </message>
    <message>
        <source>Frame stride</source>
        <translation>Frame stride</translation>
    </message>
    <message>
        <source>256 × 256 (reference)</source>
        <translation>256 × 256 (reference)</translation>
    </message>
    <message>
        <source>512 × 512</source>
        <translation>512 × 512</translation>
    </message>
    <message>
        <source>384 × 256 (wide)</source>
        <translation>384 × 256 (wide)</translation>
    </message>
    <message>
        <source>64 × 64 (demo model)</source>
        <translation>64 × 64 (demo model)</translation>
    </message>
    <message>
        <source>Custom</source>
        <translation>Custom</translation>
    </message>
    <message>
        <source>The size the model works at; the canvas shows which part of your picture it sees.</source>
        <translation>The size the model works at; the canvas shows which part of your picture it sees.</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>Size</translation>
    </message>
    <message>
        <source> px</source>
        <translation> px</translation>
    </message>
    <message>
        <source>Width in pixels, a multiple of 8. Bigger needs much more memory and time.</source>
        <translation>Width in pixels, a multiple of 8. Bigger needs much more memory and time.</translation>
    </message>
    <message>
        <source>Height in pixels, a multiple of 8. Bigger needs much more memory and time.</source>
        <translation>Height in pixels, a multiple of 8. Bigger needs much more memory and time.</translation>
    </message>
    <message>
        <source>Crop the centre</source>
        <translation>Crop the centre</translation>
    </message>
    <message>
        <source>Fit inside (pad)</source>
        <translation>Fit inside (pad)</translation>
    </message>
    <message>
        <source>How your picture is fitted to the size: crop the centre (the reference) or fit it whole with grey bars.</source>
        <translation>How your picture is fitted to the size: crop the centre (the reference) or fit it whole with grey bars.</translation>
    </message>
    <message>
        <source>Fit</source>
        <translation>Fit</translation>
    </message>
    <message>
        <source>Longer clips: each extra chunk continues from the last frame of the previous one.</source>
        <translation>Longer clips: each extra chunk continues from the last frame of the previous one.</translation>
    </message>
    <message>
        <source>Chunks</source>
        <translation>Chunks</translation>
    </message>
    <message>
        <source>Still (no camera move)</source>
        <translation>Still (no camera move)</translation>
    </message>
    <message>
        <source>Pan left</source>
        <translation>Pan left</translation>
    </message>
    <message>
        <source>Pan right</source>
        <translation>Pan right</translation>
    </message>
    <message>
        <source>Zoom in</source>
        <translation>Zoom in</translation>
    </message>
    <message>
        <source>Zoom out</source>
        <translation>Zoom out</translation>
    </message>
    <message>
        <source>Tilt up</source>
        <translation>Tilt up</translation>
    </message>
    <message>
        <source>Tilt down</source>
        <translation>Tilt down</translation>
    </message>
    <message>
        <source>Custom path (camera editor)</source>
        <translation>Custom path (camera editor)</translation>
    </message>
    <message>
        <source>A camera move built from your picture (FrameInit follows it). Choosing one switches τ and D0 to the paper's camera values when they are still at their defaults.</source>
        <translation>A camera move built from your picture (FrameInit follows it). Choosing one switches τ and D0 to the paper's camera values when they are still at their defaults.</translation>
    </message>
    <message>
        <source>Camera</source>
        <translation>Camera</translation>
    </message>
    <message>
        <source>Hardware</source>
        <translation>Hardware</translation>
    </message>
    <message>
        <source>Automatic (GPU when present)</source>
        <translation>Automatic (GPU when present)</translation>
    </message>
    <message>
        <source>CPU</source>
        <translation>CPU</translation>
    </message>
    <message>
        <source>GPU (CUDA)</source>
        <translation>GPU (CUDA)</translation>
    </message>
    <message>
        <source>Where the model runs.</source>
        <translation>Where the model runs.</translation>
    </message>
    <message>
        <source>Device</source>
        <translation>Device</translation>
    </message>
    <message>
        <source>fp32 (exact)</source>
        <translation>fp32 (exact)</translation>
    </message>
    <message>
        <source>fp16 (half the memory, GPU)</source>
        <translation>fp16 (half the memory, GPU)</translation>
    </message>
    <message>
        <source>bf16 (half the memory)</source>
        <translation>bf16 (half the memory)</translation>
    </message>
    <message>
        <source>Number precision. fp16/bf16 halve the memory on a GPU (use them when the GPU runs out of memory).</source>
        <translation>Number precision. fp16/bf16 halve the memory on a GPU (use them when the GPU runs out of memory).</translation>
    </message>
    <message>
        <source>Precision</source>
        <translation>Precision</translation>
    </message>
    <message>
        <source>Reset to the reference settings</source>
        <translation>Reset to the reference settings</translation>
    </message>
    <message>
        <source>Every setting back to the reference defaults (prompts and seed are kept).</source>
        <translation>Every setting back to the reference defaults (prompts and seed are kept).</translation>
    </message>
    <message>
        <source>The zoom presets need a square video (width = height).</source>
        <translation>The zoom presets need a square video (width = height).</translation>
    </message>
    <message>
        <source>Draw a crop on the first frame, or edit a preset there, to make a path of your own.</source>
        <translation>Draw a crop on the first frame, or edit a preset there, to make a path of your own.</translation>
    </message>
</context>
<context>
    <name>studio::PreviewStrip</name>
    <message>
        <source>Layout: the blurred first frame FrameInit keeps</source>
        <translation>Layout: the blurred first frame FrameInit keeps</translation>
    </message>
    <message>
        <source>Detail: the fresh noise FrameInit adds</source>
        <translation>Detail: the fresh noise FrameInit adds</translation>
    </message>
    <message>
        <source>Start: the two mixed, where denoising begins</source>
        <translation>Start: the two mixed, where denoising begins</translation>
    </message>
    <message>
        <source>Frame %1 as the model currently imagines it</source>
        <translation>Frame %1 as the model currently imagines it</translation>
    </message>
    <message>
        <source>Ready</source>
        <translation>Ready</translation>
    </message>
    <message>
        <source>Not started</source>
        <translation>Not started</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 s</translation>
    </message>
    <message>
        <source>%1 min %2 s</source>
        <translation>%1 min %2 s</translation>
    </message>
    <message>
        <source>%1 h %2 min</source>
        <translation>%1 h %2 min</translation>
    </message>
    <message>
        <source>Step %1 of %2 · %3 elapsed · about %4 left</source>
        <translation>Step %1 of %2 · %3 elapsed · about %4 left</translation>
    </message>
</context>
<context>
    <name>studio::Project</name>
    <message>
        <source>%1 is not a JSON object</source>
        <translation>%1 is not a JSON object</translation>
    </message>
    <message>
        <source>%1 has no "%2"</source>
        <translation>%1 has no "%2"</translation>
    </message>
    <message>
        <source>%1: "%2" must be a string</source>
        <translation>%1: "%2" must be a string</translation>
    </message>
    <message>
        <source>%1: "%2" must be a list of strings</source>
        <translation>%1: "%2" must be a list of strings</translation>
    </message>
    <message>
        <source>%1: "%2" must be an integer</source>
        <translation>%1: "%2" must be an integer</translation>
    </message>
    <message>
        <source>%1: "%2" must be a non-negative integer</source>
        <translation>%1: "%2" must be a non-negative integer</translation>
    </message>
    <message>
        <source>%1: "%2" must be a number</source>
        <translation>%1: "%2" must be a number</translation>
    </message>
    <message>
        <source>%1: "%2" must be true or false</source>
        <translation>%1: "%2" must be true or false</translation>
    </message>
    <message>
        <source>%1: invalid parameters: %2</source>
        <translation>%1: invalid parameters: %2</translation>
    </message>
    <message>
        <source>%1: invalid camera path: %2</source>
        <translation>%1: invalid camera path: %2</translation>
    </message>
    <message>
        <source>%1: invalid camera preset: %2</source>
        <translation>%1: invalid camera preset: %2</translation>
    </message>
    <message>
        <source>entry "%1" is not a readable PNG picture: %2</source>
        <translation>entry "%1" is not a readable PNG picture: %2</translation>
    </message>
    <message>
        <source>entry "%1" is a %2 × %3 picture, larger than the limit of %4 pixels a side / %5 pixels</source>
        <translation>entry "%1" is a %2 × %3 picture, larger than the limit of %4 pixels a side / %5 pixels</translation>
    </message>
    <message>
        <source>entry "%1" cannot be decoded as PNG: %2</source>
        <translation>entry "%1" cannot be decoded as PNG: %2</translation>
    </message>
    <message>
        <source>the picture "%1" cannot be encoded as PNG</source>
        <translation>the picture "%1" cannot be encoded as PNG</translation>
    </message>
    <message>
        <source>the manifest refers to "%1", which the file does not contain</source>
        <translation>the manifest refers to "%1", which the file does not contain</translation>
    </message>
    <message>
        <source>%1: "results" must be a list</source>
        <translation>%1: "results" must be a list</translation>
    </message>
    <message>
        <source>%1 result %2</source>
        <translation>%1 result %2</translation>
    </message>
    <message>
        <source>%1: the id %2 is used twice</source>
        <translation>%1: the id %2 is used twice</translation>
    </message>
    <message>
        <source>%1 has no frames</source>
        <translation>%1 has no frames</translation>
    </message>
    <message>
        <source>%1: frame "%2" is %3 × %4, the first frame of the clip %5 × %6</source>
        <translation>%1: frame "%2" is %3 × %4, the first frame of the clip %5 × %6</translation>
    </message>
    <message>
        <source>%1: "current_result" = %2 is not -1 or the index of one of the %3 results</source>
        <translation>%1: "current_result" = %2 is not -1 or the index of one of the %3 results</translation>
    </message>
    <message>
        <source>%1 cannot be opened: %2</source>
        <translation>%1 cannot be opened: %2</translation>
    </message>
    <message>
        <source>it is not a ConsistI2V Studio project file (its first bytes are not the project signature)</source>
        <translation>it is not a ConsistI2V Studio project file (its first bytes are not the project signature)</translation>
    </message>
    <message>
        <source>the file is truncated (%1 bytes, shorter than the %2-byte header)</source>
        <translation>the file is truncated (%1 bytes, shorter than the %2-byte header)</translation>
    </message>
    <message>
        <source>the file is truncated: it has %1 bytes, its header announces %2</source>
        <translation>the file is truncated: it has %1 bytes, its header announces %2</translation>
    </message>
    <message>
        <source>the file has %1 bytes, its header announces %2: extra data after the end</source>
        <translation>the file has %1 bytes, its header announces %2: extra data after the end</translation>
    </message>
    <message>
        <source>the table of contents (%1 bytes) does not fit into the file</source>
        <translation>the table of contents (%1 bytes) does not fit into the file</translation>
    </message>
    <message>
        <source>the header or table of contents is damaged (CRC-32 %1, expected %2)</source>
        <translation>the header or table of contents is damaged (CRC-32 %1, expected %2)</translation>
    </message>
    <message>
        <source>it was written by a newer version of the studio (project format %1; this version reads formats up to %2)</source>
        <translation>it was written by a newer version of the studio (project format %1; this version reads formats up to %2)</translation>
    </message>
    <message>
        <source>it announces %1 entries (the limit is %2)</source>
        <translation>it announces %1 entries (the limit is %2)</translation>
    </message>
    <message>
        <source>the table of contents ends inside entry %1 of %2</source>
        <translation>the table of contents ends inside entry %1 of %2</translation>
    </message>
    <message>
        <source>entry %1 has a name of %2 bytes</source>
        <translation>entry %1 has a name of %2 bytes</translation>
    </message>
    <message>
        <source>the entry "%1" appears twice</source>
        <translation>the entry "%1" appears twice</translation>
    </message>
    <message>
        <source>the entry "%1" announces %2 bytes (the limit is %3)</source>
        <translation>the entry "%1" announces %2 bytes (the limit is %3)</translation>
    </message>
    <message>
        <source>the entry "%1" lies outside the file or overlaps another one (offset %2, %3 bytes, file %4 bytes)</source>
        <translation>the entry "%1" lies outside the file or overlaps another one (offset %2, %3 bytes, file %4 bytes)</translation>
    </message>
    <message>
        <source>the entry "%1" is damaged (CRC-32 %2, expected %3)</source>
        <translation>the entry "%1" is damaged (CRC-32 %2, expected %3)</translation>
    </message>
    <message>
        <source>the table of contents has %1 bytes left over</source>
        <translation>the table of contents has %1 bytes left over</translation>
    </message>
    <message>
        <source>%1 bytes after the last entry belong to no entry</source>
        <translation>%1 bytes after the last entry belong to no entry</translation>
    </message>
    <message>
        <source>Cannot save the project %1: %2</source>
        <translation>Cannot save the project %1: %2</translation>
    </message>
    <message>
        <source>the file could not be written completely (is the disk full?)</source>
        <translation>the file could not be written completely (is the disk full?)</translation>
    </message>
    <message>
        <source>it has no manifest (%1)</source>
        <translation>it has no manifest (%1)</translation>
    </message>
    <message>
        <source>the manifest has %1 bytes (the limit is %2)</source>
        <translation>the manifest has %1 bytes (the limit is %2)</translation>
    </message>
    <message>
        <source>the manifest says format %1, the container format %2</source>
        <translation>the manifest says format %1, the container format %2</translation>
    </message>
    <message>
        <source>Cannot open the project %1: %2</source>
        <translation>Cannot open the project %1: %2</translation>
    </message>
    <message>
        <source>%1 cannot be opened: it has %2 bytes, more than a project can hold</source>
        <translation>%1 cannot be opened: it has %2 bytes, more than a project can hold</translation>
    </message>
    <message>
        <source>Cannot read the project %1: %2</source>
        <translation>Cannot read the project %1: %2</translation>
    </message>
    <message>
        <source>its pictures add up to more than %1 megapixels (%2 GiB in memory), the limit of a project</source>
        <translation>its pictures add up to more than %1 megapixels (%2 GiB in memory), the limit of a project</translation>
    </message>
    <message>
        <source>%1: picture_size must be [width, height] in pixels</source>
        <translation>%1: picture_size must be [width, height] in pixels</translation>
    </message>
    <message>
        <source>%1: %2 results with %3 frames in all, more than the %4 pictures a project holds</source>
        <translation>%1: %2 results with %3 frames in all, more than the %4 pictures a project holds</translation>
    </message>
</context>
<context>
    <name>studio::SaveName</name>
    <message>
        <source>Replace the file?</source>
        <translation>Replace the file?</translation>
    </message>
    <message>
        <source>%1 already exists. Replace it?</source>
        <translation>%1 already exists. Replace it?</translation>
    </message>
</context>
<context>
    <name>studio::VideoPlayer</name>
    <message>
        <source>The result plays here.
Load a first frame and a model, then press Generate (Ctrl+Return).</source>
        <translation>The result plays here.
Load a first frame and a model, then press Generate (Ctrl+Return).</translation>
    </message>
    <message>
        <source>Previous frame (,)</source>
        <translation>Previous frame (,)</translation>
    </message>
    <message>
        <source>Play / pause (Space)</source>
        <translation>Play / pause (Space)</translation>
    </message>
    <message>
        <source>Next frame (.)</source>
        <translation>Next frame (.)</translation>
    </message>
    <message>
        <source>Loop</source>
        <translation>Loop</translation>
    </message>
    <message>
        <source>Drag to scrub through the frames</source>
        <translation>Drag to scrub through the frames</translation>
    </message>
    <message>
        <source>Playback speed</source>
        <translation>Playback speed</translation>
    </message>
    <message>
        <source>the video could not be played: %1</source>
        <translation>the video could not be played: %1</translation>
    </message>
    <message>
        <source>no video file</source>
        <translation>no video file</translation>
    </message>
    <message>
        <source>%1 / %2</source>
        <translation>%1 / %2</translation>
    </message>
    <message>
        <source>the video did not start within %1 s</source>
        <translation>the video did not start within %1 s</translation>
    </message>
</context>
<context>
    <name>studio::camera</name>
    <message>
        <source>Linear</source>
        <translation>Linear</translation>
    </message>
    <message>
        <source>Ease in</source>
        <translation>Ease in</translation>
    </message>
    <message>
        <source>Ease out</source>
        <translation>Ease out</translation>
    </message>
    <message>
        <source>Ease in-out</source>
        <translation>Ease in-out</translation>
    </message>
    <message>
        <source>Hold</source>
        <translation>Hold</translation>
    </message>
    <message>
        <source>Custom curve</source>
        <translation>Custom curve</translation>
    </message>
</context>
</TS>