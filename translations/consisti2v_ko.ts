<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ko_KR">
<context>
    <name>QObject</name>
    <message>
        <source>No model folder chosen.</source>
        <translation>모델 폴더를 선택하지 않았습니다.</translation>
    </message>
    <message>
        <source>The folder %1 does not exist.</source>
        <translation>%1 폴더가 없습니다.</translation>
    </message>
    <message>
        <source>%1 components, weights: %2</source>
        <translation>구성 요소 %1개, 가중치: %2</translation>
    </message>
    <message>
        <source>none</source>
        <translation>없음</translation>
    </message>
    <message>
        <source>Not enough memory for the model</source>
        <translation>모델을 올릴 메모리가 부족합니다</translation>
    </message>
    <message>
        <source>The model does not fit into memory. Choose fp16 precision (Hardware → Precision) or close other programs that use the GPU.</source>
        <translation>모델이 메모리에 들어가지 않습니다. fp16 정밀도(하드웨어 → 정밀도)를 선택하거나 GPU를 쓰는 다른 프로그램을 닫으세요.</translation>
    </message>
    <message>
        <source>The model cannot be used</source>
        <translation>모델을 사용할 수 없습니다</translation>
    </message>
    <message>
        <source>%1 is not a ConsistI2V model folder. Choose the folder that contains model_index.json (with unet, vae, text_encoder, tokenizer and scheduler inside), or a Hugging Face cache folder of TIGER-Lab/ConsistI2V.</source>
        <translation>%1은(는) ConsistI2V 모델 폴더가 아닙니다. model_index.json이 있는 폴더(안에 unet, vae, text_encoder, tokenizer, scheduler 포함)나 TIGER-Lab/ConsistI2V의 Hugging Face 캐시 폴더를 선택하세요.</translation>
    </message>
    <message>
        <source>The GPU cannot be used: %1
Choose Device → CPU or Automatic.</source>
        <translation>GPU를 사용할 수 없습니다: %1
장치 → CPU 또는 자동을 선택하세요.</translation>
    </message>
    <message>
        <source>The model in %1 is incomplete or damaged: %2
Download it again, or choose another folder.</source>
        <translation>%1의 모델이 불완전하거나 손상되었습니다: %2
다시 다운로드하거나 다른 폴더를 선택하세요.</translation>
    </message>
    <message>
        <source>Out of memory</source>
        <translation>메모리 부족</translation>
    </message>
    <message>
        <source>The %1 ran out of memory for a %2 × %3 clip of %4 frames. Try a smaller size (for example 256 × 256), fewer frames%5.</source>
        <translation>%2 × %3 크기, %4프레임 클립을 만들다가 %1 메모리가 부족해졌습니다. 더 작은 크기(예: 256 × 256)나 더 적은 프레임 수%5를 시도해 보세요.</translation>
    </message>
    <message>
        <source>GPU</source>
        <translation>GPU</translation>
    </message>
    <message>
        <source>computer</source>
        <translation>컴퓨터</translation>
    </message>
    <message>
        <source>, or fp16 precision (Hardware → Precision)</source>
        <translation>, 또는 fp16 정밀도(하드웨어 → 정밀도)</translation>
    </message>
    <message>
        <source>A setting is out of range</source>
        <translation>설정값이 범위를 벗어났습니다</translation>
    </message>
    <message>
        <source>%1
Change it in the settings panel and generate again.</source>
        <translation>%1
설정 패널에서 값을 바꾼 뒤 다시 생성하세요.</translation>
    </message>
    <message>
        <source>The generation failed</source>
        <translation>생성에 실패했습니다</translation>
    </message>
    <message>
        <source>The engine stopped with an error: %1</source>
        <translation>엔진이 오류로 중단되었습니다: %1</translation>
    </message>
    <message>
        <source>Export failed</source>
        <translation>내보내기 실패</translation>
    </message>
    <message>
        <source>The clip could not be written to %1: %2
Check that the folder exists and is writable, or try another format.</source>
        <translation>클립을 %1에 저장할 수 없습니다: %2
폴더가 있고 쓰기 가능한지 확인하거나 다른 형식을 시도해 보세요.</translation>
    </message>
    <message>
        <source>Cannot open the picture</source>
        <translation>이미지를 열 수 없습니다</translation>
    </message>
    <message>
        <source>%1 could not be read as a picture: %2
Use a PNG, JPEG or WebP file.</source>
        <translation>%1을(를) 이미지로 읽을 수 없습니다: %2
PNG, JPEG 또는 WebP 파일을 사용하세요.</translation>
    </message>
    <message>
        <source>MP4 video (H.264)</source>
        <translation>MP4 동영상 (H.264)</translation>
    </message>
    <message>
        <source>Animated GIF</source>
        <translation>움직이는 GIF</translation>
    </message>
    <message>
        <source>Animated WebP</source>
        <translation>움직이는 WebP</translation>
    </message>
    <message>
        <source>PNG sequence (a folder)</source>
        <translation>PNG 시퀀스 (폴더)</translation>
    </message>
    <message>
        <source>demo model (trained on toy clips) · %1</source>
        <translation>데모 모델 (장난감 클립으로 학습) · %1</translation>
    </message>
    <message>
        <source>The model does not fit into memory even at %1 precision. Close other programs that use the GPU, or choose Device → CPU (slower).</source>
        <translation>%1 정밀도로도 모델이 메모리에 들어가지 않습니다. GPU를 쓰는 다른 프로그램을 닫거나 장치 → CPU를 선택하세요 (더 느림).</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <source>Animate a still picture with ConsistI2V.</source>
        <translation>ConsistI2V로 정지 이미지를 움직이는 영상으로 만듭니다.</translation>
    </message>
    <message>
        <source>Model folder to use.</source>
        <translation>사용할 모델 폴더.</translation>
    </message>
    <message>
        <source>First frame to open.</source>
        <translation>열 첫 프레임.</translation>
    </message>
    <message>
        <source>A project (.ci2v) to open, or a picture to animate, or a clip exported by the studio to take its settings from (optional).</source>
        <translation>열 프로젝트(.ci2v), 움직일 그림, 또는 설정을 가져올 스튜디오에서 내보낸 클립(선택 사항).</translation>
    </message>
</context>
<context>
    <name>studio::Autosaver</name>
    <message>
        <source>Cannot create the autosave folder %1.</source>
        <translation>자동 저장 폴더 %1을(를) 만들 수 없습니다.</translation>
    </message>
    <message>
        <source>Cannot write the autosave marker %1: %2</source>
        <translation>자동 저장 표시 파일 %1을(를) 쓸 수 없습니다: %2</translation>
    </message>
    <message>
        <source>Autosave is not running.</source>
        <translation>자동 저장이 실행 중이 아닙니다.</translation>
    </message>
    <message>
        <source>Autosave refuses to write %1: it is the project file itself.</source>
        <translation>%1은(는) 프로젝트 파일 자체이므로 자동 저장하지 않습니다.</translation>
    </message>
    <message>
        <source>%1 cannot be recovered: %2</source>
        <translation>%1을(를) 복구할 수 없습니다: %2</translation>
    </message>
</context>
<context>
    <name>studio::CameraEditor</name>
    <message>
        <source>Presets</source>
        <translation>프리셋</translation>
    </message>
    <message>
        <source>The paper&apos;s camera moves, built from your picture; edit them afterwards on the picture and the timeline</source>
        <translation>논문의 카메라 움직임을 이미지에 맞춰 만듭니다. 만든 뒤 이미지와 타임라인에서 편집할 수 있습니다</translation>
    </message>
    <message>
        <source>Pan left</source>
        <translation>왼쪽으로 팬</translation>
    </message>
    <message>
        <source>Pan right</source>
        <translation>오른쪽으로 팬</translation>
    </message>
    <message>
        <source>Zoom in</source>
        <translation>줌 인</translation>
    </message>
    <message>
        <source>Zoom out</source>
        <translation>줌 아웃</translation>
    </message>
    <message>
        <source>Tilt up</source>
        <translation>위로 틸트</translation>
    </message>
    <message>
        <source>Tilt down</source>
        <translation>아래로 틸트</translation>
    </message>
    <message>
        <source>+ Key</source>
        <translation>+ 키</translation>
    </message>
    <message>
        <source>Add a keyframe on the current frame with the crop the path has there (or draw a crop on the picture)</source>
        <translation>현재 프레임에 경로상의 크롭으로 키프레임을 추가합니다 (또는 이미지에 크롭을 그리세요)</translation>
    </message>
    <message>
        <source>− Key</source>
        <translation>− 키</translation>
    </message>
    <message>
        <source>Delete the selected keyframe (Delete)</source>
        <translation>선택한 키프레임 삭제 (Delete)</translation>
    </message>
    <message>
        <source>How the crop moves from the selected keyframe to the next</source>
        <translation>선택한 키프레임에서 다음 키프레임까지 크롭이 움직이는 방식</translation>
    </message>
    <message>
        <source>Load…</source>
        <translation>불러오기…</translation>
    </message>
    <message>
        <source>Load a camera path (JSON, the CLI&apos;s --camera format)</source>
        <translation>카메라 경로 불러오기 (JSON, CLI의 --camera 형식)</translation>
    </message>
    <message>
        <source>Save…</source>
        <translation>저장…</translation>
    </message>
    <message>
        <source>Save the camera path as JSON (for the CLI&apos;s --camera)</source>
        <translation>카메라 경로를 JSON으로 저장 (CLI의 --camera용)</translation>
    </message>
    <message>
        <source>▶ Dry run</source>
        <translation>▶ 시험 재생</translation>
    </message>
    <message>
        <source>Play the camera video the model will be guided by, at once, before any diffusion</source>
        <translation>모델이 따라갈 카메라 영상을 확산 전에 바로 재생합니다</translation>
    </message>
    <message>
        <source>Still</source>
        <translation>고정</translation>
    </message>
    <message>
        <source>Remove the camera move (still camera)</source>
        <translation>카메라 움직임 제거 (고정 카메라)</translation>
    </message>
    <message>
        <source>Edit the easing curve of K%1</source>
        <translation>K%1의 이징 곡선 편집</translation>
    </message>
    <message>
        <source>Move keyframe K%1</source>
        <translation>키프레임 K%1 이동</translation>
    </message>
    <message>
        <source>Resize keyframe K%1</source>
        <translation>키프레임 K%1 크기 조절</translation>
    </message>
    <message>
        <source>Add a keyframe on frame %1</source>
        <translation>프레임 %1에 키프레임 추가</translation>
    </message>
    <message>
        <source>Delete keyframe K%1</source>
        <translation>키프레임 K%1 삭제</translation>
    </message>
    <message>
        <source>Move keyframe K%1 to frame %2</source>
        <translation>키프레임 K%1을(를) 프레임 %2(으)로 이동</translation>
    </message>
    <message>
        <source>Set the easing after K%1 to %2</source>
        <translation>K%1 다음 이징을 %2(으)로 설정</translation>
    </message>
    <message>
        <source>Remove the camera move</source>
        <translation>카메라 움직임 제거</translation>
    </message>
    <message>
        <source>Still camera</source>
        <translation>고정 카메라</translation>
    </message>
    <message>
        <source>Preset %1 · %2 keyframes · edit it on the picture</source>
        <translation>프리셋 %1 · 키프레임 %2개 · 이미지에서 편집하세요</translation>
    </message>
    <message numerus="yes">
        <source>Custom path · %n keyframe(s)</source>
        <translation>
            <numerusform>사용자 경로 · 키프레임 %n개</numerusform>
        </translation>
    </message>
    <message>
        <source> · frame %1: crop %2 × %3 at (%4, %5)</source>
        <translation> · 프레임 %1: 크롭 %2 × %3, 위치 (%4, %5)</translation>
    </message>
    <message>
        <source>The zoom presets need a square video (width = height).</source>
        <translation>줌 프리셋은 정사각형 영상(너비 = 높이)이 필요합니다.</translation>
    </message>
</context>
<context>
    <name>studio::CameraTimeline</name>
    <message>
        <source>end</source>
        <translation>끝</translation>
    </message>
    <message>
        <source>Still camera. Choose a preset, or draw a crop on the picture to start a path.</source>
        <translation>고정 카메라. 프리셋을 고르거나 이미지에 크롭을 그려 보세요.</translation>
    </message>
    <message>
        <source>Easing</source>
        <translation>이징</translation>
    </message>
    <message>
        <source>The camera path over time. Click a frame to see its crop, drag a keyframe to move it in time, double-click a frame to add a keyframe, right-click a segment to change its easing.&lt;br&gt;Keys: ←/→ frame, Home/End first/last frame, ↑/↓ previous/next keyframe, Ctrl+←/→ move the keyframe, Insert or Enter add a keyframe, Delete remove it.</source>
        <translation>시간에 따른 카메라 경로. 프레임을 클릭하면 그 크롭이 보이고, 키프레임을 끌면 시간상 위치가 바뀌며, 프레임을 더블클릭하면 키프레임이 추가되고, 구간을 오른쪽 클릭하면 이징을 바꿀 수 있습니다.&lt;br&gt;키: ←/→ 프레임, Home/End 첫/마지막 프레임, ↑/↓ 이전/다음 키프레임, Ctrl+←/→ 키프레임 이동, Insert 또는 Enter 키프레임 추가, Delete 삭제.</translation>
    </message>
</context>
<context>
    <name>studio::Document</name>
    <message>
        <source>Camera move: FrameInit switched to the paper&apos;s camera settings (τ %1, D0 %2)</source>
        <translation>카메라 움직임: FrameInit을 논문의 카메라 설정으로 바꿨습니다 (τ %1, D0 %2)</translation>
    </message>
    <message>
        <source>Camera move: FrameInit switched to this model&apos;s camera settings (τ %1, D0 %2)</source>
        <translation>카메라 움직임: FrameInit을 이 모델의 카메라 설정으로 바꿨습니다 (τ %1, D0 %2)</translation>
    </message>
    <message>
        <source>Still camera: FrameInit back to τ %1, D0 %2</source>
        <translation>고정 카메라: FrameInit을 τ %1, D0 %2(으)로 되돌렸습니다</translation>
    </message>
    <message>
        <source>The zoom presets need a square video (width = height); the video is %1 × %2.</source>
        <translation>줌 프리셋은 정사각형 영상(너비 = 높이)이 필요합니다. 현재 영상은 %1 × %2입니다.</translation>
    </message>
    <message>
        <source>There is no camera path to save: add keyframes or choose a preset first.</source>
        <translation>저장할 카메라 경로가 없습니다. 먼저 키프레임을 추가하거나 프리셋을 고르세요.</translation>
    </message>
    <message>
        <source>Cannot write the camera path to %1: %2</source>
        <translation>카메라 경로를 %1에 쓸 수 없습니다: %2</translation>
    </message>
    <message>
        <source>Cannot read the camera path %1: %2</source>
        <translation>카메라 경로 %1을(를) 읽을 수 없습니다: %2</translation>
    </message>
    <message>
        <source>%1 is not a valid camera path: %2</source>
        <translation>%1은(는) 올바른 카메라 경로가 아닙니다: %2</translation>
    </message>
    <message>
        <source>The file %1 does not exist.</source>
        <translation>%1 파일이 없습니다.</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>Load a first frame first: open a picture, drop one on the canvas or paste one.</source>
        <translation>먼저 첫 프레임을 불러오세요: 이미지를 열거나, 캔버스에 끌어다 놓거나, 붙여넣으세요.</translation>
    </message>
    <message>
        <source>Choose the model folder first (Model… in the toolbar).</source>
        <translation>먼저 모델 폴더를 선택하세요 (도구 모음의 모델…).</translation>
    </message>
    <message>
        <source>The project&apos;s current result %1 does not exist (it has %2 results).</source>
        <translation>프로젝트의 현재 결과 %1이(가) 없습니다 (결과는 %2개입니다).</translation>
    </message>
    <message>
        <source>Result %1 of the project has no frames.</source>
        <translation>프로젝트의 결과 %1에 프레임이 없습니다.</translation>
    </message>
    <message>
        <source>Result %1 of the project has an empty frame.</source>
        <translation>프로젝트의 결과 %1에 빈 프레임이 있습니다.</translation>
    </message>
    <message>
        <source>The project&apos;s camera path is invalid: %1</source>
        <translation>프로젝트의 카메라 경로가 잘못되었습니다: %1</translation>
    </message>
    <message>
        <source>%1 cannot be opened: %2</source>
        <translation>%1을(를) 열 수 없습니다: %2</translation>
    </message>
    <message>
        <source>The camera path moved with the new picture (%1 × %2 → %3 × %4)</source>
        <translation>카메라 경로가 새 이미지에 맞춰 옮겨졌습니다 (%1 × %2 → %3 × %4)</translation>
    </message>
    <message>
        <source>its crops took the video&apos;s new shape (%1 × %2)</source>
        <translation>크롭이 영상의 새 비율(%1 × %2)에 맞춰졌습니다</translation>
    </message>
    <message numerus="yes">
        <source>%n keyframe(s) that no longer had a frame of their own merged into their neighbours</source>
        <translation>
            <numerusform>자기 프레임이 없어진 키프레임 %n개가 이웃 키프레임에 합쳐졌습니다</numerusform>
        </translation>
    </message>
    <message>
        <source>keyframes that would share a frame moved apart</source>
        <translation>같은 프레임에 겹칠 키프레임들을 서로 떼어 놓았습니다</translation>
    </message>
    <message>
        <source>Camera path: %1</source>
        <translation>카메라 경로: %1</translation>
    </message>
    <message>
        <source>its camera path moved from the %1 × %2 picture it was made from to this one</source>
        <translation>카메라 경로를 원래의 %1 × %2 이미지에서 지금 이미지로 옮겼습니다</translation>
    </message>
    <message>
        <source>scaled down from %1 × %2 (a project holds pictures up to %3 pixels a side and %4 megapixels)</source>
        <translation>%1 × %2에서 축소됨 (프로젝트는 한 변 %3 픽셀, %4 메가픽셀까지의 그림을 담습니다)</translation>
    </message>
</context>
<context>
    <name>studio::EasingEditor</name>
    <message>
        <source>The easing of the selected segment: how the crop moves from one keyframe to the next over time. With a custom curve, drag its two handles.</source>
        <translation>선택한 구간의 이징: 크롭이 한 키프레임에서 다음 키프레임으로 시간에 따라 움직이는 방식입니다. 사용자 곡선은 두 핸들을 드래그해 조절합니다.</translation>
    </message>
</context>
<context>
    <name>studio::EditHistory</name>
    <message>
        <source>the prompt</source>
        <translation>프롬프트</translation>
    </message>
    <message>
        <source>the negative prompt</source>
        <translation>네거티브 프롬프트</translation>
    </message>
    <message>
        <source>the width</source>
        <translation>너비</translation>
    </message>
    <message>
        <source>the height</source>
        <translation>높이</translation>
    </message>
    <message>
        <source>frames</source>
        <translation>프레임 수</translation>
    </message>
    <message>
        <source>steps</source>
        <translation>스텝 수</translation>
    </message>
    <message>
        <source>the sampler</source>
        <translation>샘플러</translation>
    </message>
    <message>
        <source>DDIM eta</source>
        <translation>DDIM eta</translation>
    </message>
    <message>
        <source>prompt strength</source>
        <translation>프롬프트 강도</translation>
    </message>
    <message>
        <source>picture strength</source>
        <translation>이미지 강도</translation>
    </message>
    <message>
        <source>guidance rescale</source>
        <translation>가이던스 리스케일</translation>
    </message>
    <message>
        <source>frame stride</source>
        <translation>프레임 간격</translation>
    </message>
    <message>
        <source>the seed</source>
        <translation>시드</translation>
    </message>
    <message>
        <source>the noise</source>
        <translation>노이즈</translation>
    </message>
    <message>
        <source>noise alpha</source>
        <translation>노이즈 알파</translation>
    </message>
    <message>
        <source>FrameInit</source>
        <translation>FrameInit</translation>
    </message>
    <message>
        <source>noise level τ</source>
        <translation>노이즈 레벨 τ</translation>
    </message>
    <message>
        <source>D0 spatial</source>
        <translation>D0 공간</translation>
    </message>
    <message>
        <source>D0 temporal</source>
        <translation>D0 시간</translation>
    </message>
    <message>
        <source>the filter</source>
        <translation>필터</translation>
    </message>
    <message>
        <source>the Butterworth order</source>
        <translation>Butterworth 차수</translation>
    </message>
    <message>
        <source>the camera</source>
        <translation>카메라</translation>
    </message>
    <message>
        <source>the camera path</source>
        <translation>카메라 경로</translation>
    </message>
    <message>
        <source>chunks</source>
        <translation>청크 수</translation>
    </message>
    <message>
        <source>the fit</source>
        <translation>맞춤 방식</translation>
    </message>
    <message>
        <source>the device</source>
        <translation>장치</translation>
    </message>
    <message>
        <source>the precision</source>
        <translation>정밀도</translation>
    </message>
    <message>
        <source>Change the camera</source>
        <translation>카메라 변경</translation>
    </message>
    <message>
        <source>Edit %1</source>
        <translation>%1 편집</translation>
    </message>
    <message>
        <source>Set %1 to %2</source>
        <translation>%1을(를) %2(으)로 설정</translation>
    </message>
    <message>
        <source>Change %1</source>
        <translation>%1 변경</translation>
    </message>
    <message>
        <source>on</source>
        <translation>켬</translation>
    </message>
    <message>
        <source>off</source>
        <translation>끔</translation>
    </message>
    <message numerus="yes">
        <source>Change %n settings</source>
        <translation>
            <numerusform>설정 %n개 변경</numerusform>
        </translation>
    </message>
    <message>
        <source>Remove the first frame</source>
        <translation>첫 프레임 제거</translation>
    </message>
    <message>
        <source>Open the picture %1</source>
        <translation>이미지 %1 열기</translation>
    </message>
    <message>
        <source>Use the %1</source>
        <translation>%1 사용</translation>
    </message>
    <message>
        <source>Change the first frame</source>
        <translation>첫 프레임 변경</translation>
    </message>
</context>
<context>
    <name>studio::EngineWorker</name>
    <message>
        <source>Loading the model</source>
        <translation>모델 불러오는 중</translation>
    </message>
    <message>
        <source>Reading the prompt</source>
        <translation>프롬프트 읽는 중</translation>
    </message>
    <message>
        <source>Encoding the first frame</source>
        <translation>첫 프레임 인코딩 중</translation>
    </message>
    <message>
        <source>Preparing the motion (FrameInit)</source>
        <translation>움직임 준비 중 (FrameInit)</translation>
    </message>
    <message>
        <source>Generating</source>
        <translation>생성 중</translation>
    </message>
    <message>
        <source>Decoding the frames</source>
        <translation>프레임 디코딩 중</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>완료</translation>
    </message>
    <message>
        <source>unknown error in the engine</source>
        <translation>엔진에서 알 수 없는 오류가 발생했습니다</translation>
    </message>
    <message>
        <source>Preparing the player</source>
        <translation>플레이어 준비 중</translation>
    </message>
    <message>
        <source>this build has no FFmpeg: the player shows the frames directly</source>
        <translation>이 빌드에는 FFmpeg가 없어 플레이어가 프레임을 직접 보여 줍니다</translation>
    </message>
    <message>
        <source>another model was asked for</source>
        <translation>다른 모델이 요청되었습니다</translation>
    </message>
    <message>
        <source>the studio is closing</source>
        <translation>스튜디오를 닫는 중입니다</translation>
    </message>
    <message>
        <source>the model&apos;s loading was stopped</source>
        <translation>모델 불러오기가 중단되었습니다</translation>
    </message>
    <message>
        <source>a queued generation needs another model first</source>
        <translation>대기 중인 생성 작업이 먼저 다른 모델을 필요로 합니다</translation>
    </message>
</context>
<context>
    <name>studio::ExportDialog</name>
    <message>
        <source>Export clip</source>
        <translation>클립 내보내기</translation>
    </message>
    <message>
        <source>MP4 for editors and players, GIF and WebP for the web and chats, PNG frames for compositing.</source>
        <translation>MP4는 편집기와 플레이어용, GIF와 WebP는 웹과 채팅용, PNG 프레임은 합성용입니다.</translation>
    </message>
    <message>
        <source>Format</source>
        <translation>형식</translation>
    </message>
    <message>
        <source> fps</source>
        <translation> fps</translation>
    </message>
    <message>
        <source>Frames per second. The model&apos;s frames are about 8 fps apart at the reference frame stride.</source>
        <translation>초당 프레임 수. 기준 프레임 간격에서 모델의 프레임은 약 8 fps 간격입니다.</translation>
    </message>
    <message>
        <source>Frame rate</source>
        <translation>프레임 속도</translation>
    </message>
    <message>
        <source>Quality</source>
        <translation>품질</translation>
    </message>
    <message>
        <source>Forever</source>
        <translation>무한</translation>
    </message>
    <message>
        <source>GIF and WebP: how often the animation plays (Forever = loop). MP4 and PNG: the clip is written that many times.</source>
        <translation>GIF와 WebP: 애니메이션 재생 횟수 (무한 = 반복). MP4와 PNG: 클립을 그 횟수만큼 이어 씁니다.</translation>
    </message>
    <message>
        <source>Loop</source>
        <translation>반복</translation>
    </message>
    <message>
        <source>Ping-pong (forward, then backward)</source>
        <translation>핑퐁 (정방향 후 역방향)</translation>
    </message>
    <message>
        <source>Plays the clip forward then backward, so a loop has no jump.</source>
        <translation>클립을 정방향으로 재생한 뒤 역방향으로 재생해 반복할 때 끊김이 없습니다.</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>찾아보기…</translation>
    </message>
    <message>
        <source>Save to</source>
        <translation>저장 위치</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>내보내기</translation>
    </message>
    <message>
        <source>Choose where to save the clip.</source>
        <translation>클립을 저장할 위치를 고르세요.</translation>
    </message>
    <message>
        <source>Higher = better picture, bigger file</source>
        <translation>높을수록 화질이 좋고 파일이 커집니다</translation>
    </message>
    <message>
        <source>GIF uses a 256-colour palette and PNG is lossless: no quality setting</source>
        <translation>GIF는 256색 팔레트를 쓰고 PNG는 무손실이라 품질 설정이 없습니다</translation>
    </message>
    <message>
        <source>%1 %</source>
        <translation>%1 %</translation>
    </message>
    <message>
        <source>lossless</source>
        <translation>무손실</translation>
    </message>
    <message>
        <source>256 colours</source>
        <translation>256색</translation>
    </message>
    <message>
        <source>Folder for the PNG frames</source>
        <translation>PNG 프레임을 저장할 폴더</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>취소</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>닫기</translation>
    </message>
    <message>
        <source>Stop the export (no partial file is left)</source>
        <translation>내보내기 중지 (만들다 만 파일은 남지 않습니다)</translation>
    </message>
    <message>
        <source>Exporting…</source>
        <translation>내보내는 중…</translation>
    </message>
</context>
<context>
    <name>studio::ExportRunner</name>
    <message>
        <source>This build has no FFmpeg: exporting is not available.</source>
        <translation>이 빌드에는 FFmpeg가 없어 내보내기를 할 수 없습니다.</translation>
    </message>
</context>
<context>
    <name>studio::FirstFrameCanvas</name>
    <message>
        <source>Your first frame. Drop a picture here, open one (Ctrl+O) or paste one (Ctrl+V).
The bright frame is what the model sees at the chosen size.</source>
        <translation>첫 프레임입니다. 이미지를 여기에 끌어다 놓거나, 열거나(Ctrl+O), 붙여넣으세요(Ctrl+V).
밝은 테두리 안이 선택한 크기에서 모델이 보는 영역입니다.</translation>
    </message>
    <message>
        <source>Drop your first frame here

or click to open a picture (Ctrl+O),
or paste one (Ctrl+V)</source>
        <translation>첫 프레임을 여기에 끌어다 놓거나

클릭해서 이미지를 열거나 (Ctrl+O),
붙여넣으세요 (Ctrl+V)</translation>
    </message>
    <message>
        <source>Model sees %1 × %2 · picture %3 × %4</source>
        <translation>모델 입력 %1 × %2 · 이미지 %3 × %4</translation>
    </message>
    <message>
        <source>Picture %1 × %2</source>
        <translation>이미지 %1 × %2</translation>
    </message>
    <message>
        <source>K%1 · frame %2</source>
        <translation>K%1 · 프레임 %2</translation>
    </message>
    <message>
        <source>K%1</source>
        <translation>K%1</translation>
    </message>
    <message>
        <source>Camera path: drag on the picture to draw the crop of frame %1</source>
        <translation>카메라 경로: 이미지 위를 드래그해 프레임 %1의 크롭을 그리세요</translation>
    </message>
    <message>
        <source>The camera path&apos;s crops. Drag a crop to move it, a corner to resize it, or drag on free picture to draw the crop of the current frame.
Keys: the arrows move the selected crop a pixel (Shift: 10), + and − resize it, Delete removes its keyframe.</source>
        <translation>카메라 경로의 크롭입니다. 크롭을 끌면 옮겨지고, 모서리를 끌면 크기가 바뀌며, 빈 곳을 끌면 현재 프레임의 크롭을 그립니다.
키: 화살표는 선택한 크롭을 1픽셀(Shift: 10) 옮기고, +와 −는 크기를 바꾸고, Delete는 키프레임을 삭제합니다.</translation>
    </message>
    <message>
        <source>Frame %1 · drag: move · corners: resize · keys: arrows, +/−, Delete</source>
        <translation>프레임 %1 · 끌기: 이동 · 모서리: 크기 · 키: 화살표, +/−, Delete</translation>
    </message>
</context>
<context>
    <name>studio::FrameInitPanel</name>
    <message>
        <source>Camera video (dry run)</source>
        <translation>카메라 영상 (시험 재생)</translation>
    </message>
    <message>
        <source>Low band · layout at τ</source>
        <translation>저주파 대역 · τ에서의 구도</translation>
    </message>
    <message>
        <source>High band · noise</source>
        <translation>고주파 대역 · 노이즈</translation>
    </message>
    <message>
        <source>Mixed initial noise</source>
        <translation>혼합된 초기 노이즈</translation>
    </message>
    <message>
        <source>Low-pass mask</source>
        <translation>저역 통과 마스크</translation>
    </message>
    <message>
        <source>The crops of your camera path, resized to the video size: the layout the model is guided by.</source>
        <translation>카메라 경로의 크롭을 영상 크기로 맞춘 것: 모델이 따라가는 구도입니다.</translation>
    </message>
    <message>
        <source>The camera (or still) video pushed to noise level τ, low frequencies only: the motion and layout FrameInit keeps.</source>
        <translation>카메라(또는 고정) 영상을 노이즈 레벨 τ까지 올린 뒤 저주파만 남긴 것: FrameInit이 유지하는 움직임과 구도입니다.</translation>
    </message>
    <message>
        <source>The high frequencies of fresh noise: the detail the model is free to invent.</source>
        <translation>새 노이즈의 고주파 성분: 모델이 자유롭게 만들어 낼 디테일입니다.</translation>
    </message>
    <message>
        <source>Low band + high band: the noise the denoising starts from.</source>
        <translation>저주파 대역 + 고주파 대역: 디노이징이 시작되는 노이즈입니다.</translation>
    </message>
    <message>
        <source>The filter over frequency space (centre = lowest frequencies) at this temporal frequency; its size follows D0 spatial and D0 temporal.</source>
        <translation>이 시간 주파수에서의 주파수 공간 필터 (중앙 = 가장 낮은 주파수). 크기는 D0 공간과 D0 시간을 따릅니다.</translation>
    </message>
    <message>
        <source>Load a model to see FrameInit&apos;s frequency split.</source>
        <translation>FrameInit의 주파수 분리를 보려면 모델을 불러오세요.</translation>
    </message>
    <message>
        <source>Updated in %1 ms (VAE once per picture or path, then only FFTs).</source>
        <translation>%1 ms 만에 갱신됨 (VAE는 이미지나 경로마다 한 번, 그다음은 FFT만).</translation>
    </message>
    <message>
        <source>frame %1 / %2</source>
        <translation>프레임 %1 / %2</translation>
    </message>
    <message>
        <source>no first frame</source>
        <translation>첫 프레임 없음</translation>
    </message>
    <message>
        <source>—</source>
        <translation>—</translation>
    </message>
    <message>
        <source>Updating…</source>
        <translation>갱신 중…</translation>
    </message>
    <message>
        <source>Play the preview over the frames (the camera editor&apos;s Dry run plays it from the first frame)</source>
        <translation>미리보기를 프레임 순서대로 재생합니다 (카메라 편집기의 시험 재생은 첫 프레임부터 재생합니다)</translation>
    </message>
    <message>
        <source>shown for the first chunk
(frames 1–%1)</source>
        <translation>첫 번째 청크 기준
(프레임 1–%1)</translation>
    </message>
</context>
<context>
    <name>studio::HistoryView</name>
    <message>
        <source>Every clip of this project. Hover to play one, select it to watch it; right-click to restore its settings, re-run it with a new seed, mark it as favourite or delete it.</source>
        <translation>이 프로젝트의 모든 클립입니다. 마우스를 올리면 재생되고, 선택하면 크게 봅니다. 오른쪽 클릭으로 설정 복원, 새 시드로 다시 생성, 즐겨찾기, 삭제를 할 수 있습니다.</translation>
    </message>
    <message numerus="yes">
        <source>custom path (%n keyframe(s))</source>
        <translation>
            <numerusform>사용자 경로 (키프레임 %n개)</numerusform>
        </translation>
    </message>
    <message>
        <source>still</source>
        <translation>고정</translation>
    </message>
    <message>
        <source>&lt;b&gt;%1&lt;/b&gt;&lt;br&gt;</source>
        <translation>&lt;b&gt;%1&lt;/b&gt;&lt;br&gt;</translation>
    </message>
    <message>
        <source>Not: %1&lt;br&gt;</source>
        <translation>제외: %1&lt;br&gt;</translation>
    </message>
    <message>
        <source>Seed %1 · %2 × %3 · %4 frames (stride %5) · %6 steps %7 · generated in %8 s&lt;br&gt;</source>
        <translation>시드 %1 · %2 × %3 · %4프레임 (간격 %5) · %6스텝 %7 · 생성 %8초&lt;br&gt;</translation>
    </message>
    <message>
        <source>CFG text %1 · image %2 · rescale %3&lt;br&gt;</source>
        <translation>CFG 텍스트 %1 · 이미지 %2 · 리스케일 %3&lt;br&gt;</translation>
    </message>
    <message>
        <source>FrameInit τ %1 · D0 %2 / %3 · %4 filter&lt;br&gt;</source>
        <translation>FrameInit τ %1 · D0 %2 / %3 · %4 필터&lt;br&gt;</translation>
    </message>
    <message>
        <source>FrameInit off&lt;br&gt;</source>
        <translation>FrameInit 끔&lt;br&gt;</translation>
    </message>
    <message>
        <source>Camera: %1 · %2 chunk(s) · %3 %4&lt;br&gt;</source>
        <translation>카메라: %1 · 청크 %2개 · %3 %4&lt;br&gt;</translation>
    </message>
    <message>
        <source>#%1 · seed %2</source>
        <translation>#%1 · 시드 %2</translation>
    </message>
    <message>
        <source>Restore these settings</source>
        <translation>이 설정 복원</translation>
    </message>
    <message>
        <source>Re-run with a new seed</source>
        <translation>새 시드로 다시 생성</translation>
    </message>
    <message>
        <source>Remove from favourites</source>
        <translation>즐겨찾기에서 제거</translation>
    </message>
    <message>
        <source>Mark as favourite</source>
        <translation>즐겨찾기에 추가</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>삭제</translation>
    </message>
</context>
<context>
    <name>studio::LanguageMenu</name>
    <message>
        <source>&amp;Language</source>
        <translation>언어(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;System language</source>
        <translation>시스템 언어(&amp;S)</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>언어</translation>
    </message>
    <message>
        <source>The new language applies the next time ConsistI2V Studio starts.</source>
        <translation>새 언어는 ConsistI2V 스튜디오를 다음에 시작할 때 적용됩니다.</translation>
    </message>
</context>
<context>
    <name>studio::MainWindow</name>
    <message>
        <source>Pictures (*.png *.jpg *.jpeg *.webp *.bmp *.tif *.tiff *.gif);;All files (*)</source>
        <translation>이미지 (*.png *.jpg *.jpeg *.webp *.bmp *.tif *.tiff *.gif);;모든 파일 (*)</translation>
    </message>
    <message>
        <source>ConsistI2V Studio</source>
        <translation>ConsistI2V 스튜디오</translation>
    </message>
    <message>
        <source>First frame</source>
        <translation>첫 프레임</translation>
    </message>
    <message>
        <source>Prompt</source>
        <translation>프롬프트</translation>
    </message>
    <message>
        <source>Describe the motion, e.g. “waves roll onto the beach at sunset”</source>
        <translation>움직임을 설명하세요. 예: “해 질 녘 해변으로 파도가 밀려온다”</translation>
    </message>
    <message>
        <source>What should happen in the clip. Earlier prompts are in the drop-down.</source>
        <translation>클립에서 일어날 일. 이전 프롬프트는 드롭다운에 있습니다.</translation>
    </message>
    <message>
        <source>What to avoid (optional), e.g. “blurry, distorted”</source>
        <translation>피할 것 (선택 사항). 예: “흐릿함, 왜곡”</translation>
    </message>
    <message>
        <source>Things the clip should not show. Earlier negative prompts are in the drop-down.</source>
        <translation>클립에 나오면 안 되는 것. 이전 네거티브 프롬프트는 드롭다운에 있습니다.</translation>
    </message>
    <message>
        <source>Negative prompt</source>
        <translation>네거티브 프롬프트</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>모델</translation>
    </message>
    <message>
        <source>Generate</source>
        <translation>생성</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>취소</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>결과</translation>
    </message>
    <message>
        <source>FrameInit &amp;&amp; camera preview</source>
        <translation>FrameInit &amp;&amp; 카메라 미리보기</translation>
    </message>
    <message>
        <source>What FrameInit starts the denoising from, live as you change τ, D0, the filter, the seed or the camera path — without running the model</source>
        <translation>FrameInit이 디노이징을 시작하는 입력을 τ, D0, 필터, 시드, 카메라 경로를 바꾸는 대로 실시간으로 보여 줍니다 — 모델을 실행하지 않습니다</translation>
    </message>
    <message>
        <source>Progress</source>
        <translation>진행 상황</translation>
    </message>
    <message>
        <source>Results</source>
        <translation>결과 목록</translation>
    </message>
    <message>
        <source>Copy seed</source>
        <translation>시드 복사</translation>
    </message>
    <message>
        <source>Copy the seed of the selected result to the clipboard</source>
        <translation>선택한 결과의 시드를 클립보드에 복사</translation>
    </message>
    <message>
        <source>Use seed</source>
        <translation>시드 사용</translation>
    </message>
    <message>
        <source>Generate the next clip with the seed of the selected result (to vary the other settings)</source>
        <translation>다음 클립을 선택한 결과의 시드로 생성 (다른 설정만 바꿔 보려면)</translation>
    </message>
    <message>
        <source>The longest the window was unresponsive during the last generation</source>
        <translation>마지막 생성 중 창이 응답하지 않은 가장 긴 시간</translation>
    </message>
    <message>
        <source>&amp;Open picture…</source>
        <translation>이미지 열기(&amp;O)…</translation>
    </message>
    <message>
        <source>Open a first frame</source>
        <translation>첫 프레임 열기</translation>
    </message>
    <message>
        <source>&amp;Paste picture</source>
        <translation>이미지 붙여넣기(&amp;P)</translation>
    </message>
    <message>
        <source>Use the picture on the clipboard as the first frame</source>
        <translation>클립보드의 이미지를 첫 프레임으로 사용</translation>
    </message>
    <message>
        <source>Open &amp;example picture</source>
        <translation>예제 이미지 열기(&amp;E)</translation>
    </message>
    <message>
        <source>Try the studio with the bundled example picture</source>
        <translation>함께 제공되는 예제 이미지로 스튜디오를 체험해 보세요</translation>
    </message>
    <message>
        <source>Choose &amp;model folder…</source>
        <translation>모델 폴더 선택(&amp;M)…</translation>
    </message>
    <message>
        <source>Ctrl+M</source>
        <translation>Ctrl+M</translation>
    </message>
    <message>
        <source>Choose the ConsistI2V model folder</source>
        <translation>ConsistI2V 모델 폴더 선택</translation>
    </message>
    <message>
        <source>&amp;Generate</source>
        <translation>생성(&amp;G)</translation>
    </message>
    <message>
        <source>Ctrl+Return</source>
        <translation>Ctrl+Return</translation>
    </message>
    <message>
        <source>Animate the first frame</source>
        <translation>첫 프레임을 움직이는 영상으로 만들기</translation>
    </message>
    <message>
        <source>&amp;Cancel</source>
        <translation>취소(&amp;C)</translation>
    </message>
    <message>
        <source>Stop the running generation</source>
        <translation>진행 중인 생성 중지</translation>
    </message>
    <message>
        <source>&amp;Play / pause</source>
        <translation>재생 / 일시 정지(&amp;P)</translation>
    </message>
    <message>
        <source>Play or pause the result</source>
        <translation>결과 재생 또는 일시 정지</translation>
    </message>
    <message>
        <source>&amp;Next frame</source>
        <translation>다음 프레임(&amp;N)</translation>
    </message>
    <message>
        <source>Show the next frame</source>
        <translation>다음 프레임 보기</translation>
    </message>
    <message>
        <source>P&amp;revious frame</source>
        <translation>이전 프레임(&amp;R)</translation>
    </message>
    <message>
        <source>Show the previous frame</source>
        <translation>이전 프레임 보기</translation>
    </message>
    <message>
        <source>&amp;Export…</source>
        <translation>내보내기(&amp;E)…</translation>
    </message>
    <message>
        <source>Ctrl+E</source>
        <translation>Ctrl+E</translation>
    </message>
    <message>
        <source>Save the result as MP4, GIF, WebP or PNG frames</source>
        <translation>결과를 MP4, GIF, WebP 또는 PNG 프레임으로 저장</translation>
    </message>
    <message>
        <source>&amp;Load settings…</source>
        <translation>설정 불러오기(&amp;L)…</translation>
    </message>
    <message>
        <source>Load generation settings from a JSON file</source>
        <translation>JSON 파일에서 생성 설정 불러오기</translation>
    </message>
    <message>
        <source>&amp;Save settings…</source>
        <translation>설정 저장(&amp;S)…</translation>
    </message>
    <message>
        <source>Save the generation settings as JSON</source>
        <translation>생성 설정을 JSON으로 저장</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>끝내기(&amp;Q)</translation>
    </message>
    <message>
        <source>Quit the studio</source>
        <translation>스튜디오 끝내기</translation>
    </message>
    <message>
        <source>&amp;Reset settings</source>
        <translation>설정 초기화(&amp;R)</translation>
    </message>
    <message>
        <source>Every setting back to the reference defaults</source>
        <translation>모든 설정을 기준 기본값으로 되돌리기</translation>
    </message>
    <message>
        <source>Ctrl+Enter</source>
        <translation>Ctrl+Enter</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>파일(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Download model…</source>
        <translation>모델 다운로드(&amp;D)…</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>편집(&amp;E)</translation>
    </message>
    <message>
        <source>&amp;Undo</source>
        <translation>실행 취소(&amp;U)</translation>
    </message>
    <message>
        <source>&amp;Redo</source>
        <translation>다시 실행(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Playback</source>
        <translation>재생(&amp;P)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>도움말(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;Keyboard shortcuts</source>
        <translation>단축키(&amp;K)</translation>
    </message>
    <message>
        <source>Keyboard shortcuts</source>
        <translation>단축키</translation>
    </message>
    <message>
        <source>&amp;About</source>
        <translation>정보(&amp;A)</translation>
    </message>
    <message>
        <source>About ConsistI2V Studio</source>
        <translation>ConsistI2V 스튜디오 정보</translation>
    </message>
    <message>
        <source>ConsistI2V Studio %1
Animates a still picture with the ConsistI2V image-to-video model (Ren et al., 2024), natively in C++.</source>
        <translation>ConsistI2V 스튜디오 %1
ConsistI2V 이미지-투-비디오 모델(Ren et al., 2024)로 정지 이미지를 움직이는 영상으로 만듭니다. C++ 네이티브 구현입니다.</translation>
    </message>
    <message>
        <source>Main</source>
        <translation>기본 도구 모음</translation>
    </message>
    <message>
        <source>dropped picture</source>
        <translation>끌어다 놓은 이미지</translation>
    </message>
    <message>
        <source>Seed %1 copied to the clipboard</source>
        <translation>시드 %1을(를) 클립보드에 복사했습니다</translation>
    </message>
    <message>
        <source>Use seed %1</source>
        <translation>시드 %1 사용</translation>
    </message>
    <message>
        <source>The next clip uses seed %1</source>
        <translation>다음 클립은 시드 %1을(를) 사용합니다</translation>
    </message>
    <message>
        <source>First frame: %1 (%2 × %3)</source>
        <translation>첫 프레임: %1 (%2 × %3)</translation>
    </message>
    <message>
        <source>Model ready</source>
        <translation>모델 준비됨</translation>
    </message>
    <message>
        <source>Model not usable</source>
        <translation>모델 사용 불가</translation>
    </message>
    <message>
        <source>Loading model…</source>
        <translation>모델 불러오는 중…</translation>
    </message>
    <message>
        <source>Loading %1 …</source>
        <translation>%1 불러오는 중…</translation>
    </message>
    <message>
        <source>Loaded on %1 (%2) in %3 s</source>
        <translation>%1 (%2)에 %3초 만에 불러옴</translation>
    </message>
    <message>
        <source>Done in %1 · seed %2</source>
        <translation>%1 만에 완료 · 시드 %2</translation>
    </message>
    <message>
        <source>The player shows the frames directly (%1)</source>
        <translation>플레이어가 프레임을 직접 보여 줍니다 (%1)</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>실패</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>취소됨</translation>
    </message>
    <message>
        <source>Saved %1%2</source>
        <translation>저장됨: %1%2</translation>
    </message>
    <message>
        <source>Exported %1</source>
        <translation>내보냄: %1</translation>
    </message>
    <message>
        <source>Export cancelled; no file was written.</source>
        <translation>내보내기를 취소했습니다. 파일은 저장되지 않았습니다.</translation>
    </message>
    <message>
        <source>Camera preset</source>
        <translation>카메라 프리셋</translation>
    </message>
    <message>
        <source>Apply the camera preset %1</source>
        <translation>카메라 프리셋 %1 적용</translation>
    </message>
    <message>
        <source>Camera preset %1: edit it on the picture and the timeline</source>
        <translation>카메라 프리셋 %1: 이미지와 타임라인에서 편집하세요</translation>
    </message>
    <message>
        <source>The seed is random: shown with seed 0.</source>
        <translation>시드가 무작위라서 시드 0으로 보여 줍니다.</translation>
    </message>
    <message>
        <source>No preview: %1</source>
        <translation>미리보기 없음: %1</translation>
    </message>
    <message>
        <source>(from the running generation)</source>
        <translation>(진행 중인 생성에서)</translation>
    </message>
    <message>
        <source>Camera video (dry run)</source>
        <translation>카메라 영상 (시험 재생)</translation>
    </message>
    <message>
        <source>Still first frame</source>
        <translation>고정된 첫 프레임</translation>
    </message>
    <message>
        <source>Camera video: %1</source>
        <translation>카메라 영상: %1</translation>
    </message>
    <message>
        <source>Open a first frame to see FrameInit&apos;s frequency split.</source>
        <translation>FrameInit의 주파수 분리를 보려면 첫 프레임을 여세요.</translation>
    </message>
    <message>
        <source>Load a model to see FrameInit&apos;s frequency split (the camera video needs none).</source>
        <translation>FrameInit의 주파수 분리를 보려면 모델을 불러오세요 (카메라 영상은 모델 없이 볼 수 있습니다).</translation>
    </message>
    <message>
        <source>FrameInit is off: the denoising starts from plain noise.</source>
        <translation>FrameInit이 꺼져 있어 디노이징이 순수 노이즈에서 시작합니다.</translation>
    </message>
    <message>
        <source>Load camera path</source>
        <translation>카메라 경로 불러오기</translation>
    </message>
    <message>
        <source>Camera paths (*.json);;All files (*)</source>
        <translation>카메라 경로 (*.json);;모든 파일 (*)</translation>
    </message>
    <message>
        <source>Camera path not loaded</source>
        <translation>카메라 경로를 불러오지 못했습니다</translation>
    </message>
    <message>
        <source>Load the camera path %1</source>
        <translation>카메라 경로 %1 불러오기</translation>
    </message>
    <message>
        <source>Camera path loaded from %1</source>
        <translation>%1에서 카메라 경로를 불러왔습니다</translation>
    </message>
    <message>
        <source>Save camera path</source>
        <translation>카메라 경로 저장</translation>
    </message>
    <message>
        <source>Camera paths (*.json)</source>
        <translation>카메라 경로 (*.json)</translation>
    </message>
    <message>
        <source>Camera path not saved</source>
        <translation>카메라 경로를 저장하지 못했습니다</translation>
    </message>
    <message>
        <source>Camera path saved to %1 (use it with consisti2v generate --camera)</source>
        <translation>카메라 경로를 %1에 저장했습니다 (consisti2v generate --camera로 사용)</translation>
    </message>
    <message>
        <source>Open first frame</source>
        <translation>첫 프레임 열기</translation>
    </message>
    <message>
        <source>pasted picture</source>
        <translation>붙여넣은 이미지</translation>
    </message>
    <message>
        <source>Nothing to paste</source>
        <translation>붙여넣을 것이 없습니다</translation>
    </message>
    <message>
        <source>The clipboard holds no picture. Copy a picture (or a picture file) and paste again.</source>
        <translation>클립보드에 이미지가 없습니다. 이미지(또는 이미지 파일)를 복사한 뒤 다시 붙여넣으세요.</translation>
    </message>
    <message>
        <source>example picture</source>
        <translation>예제 이미지</translation>
    </message>
    <message>
        <source>Checking the folder…</source>
        <translation>폴더 확인 중…</translation>
    </message>
    <message>
        <source>%1 — loading…</source>
        <translation>%1 — 불러오는 중…</translation>
    </message>
    <message>
        <source>Cannot generate yet</source>
        <translation>아직 생성할 수 없습니다</translation>
    </message>
    <message>
        <source>Starting</source>
        <translation>시작하는 중</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>취소하는 중…</translation>
    </message>
    <message>
        <source>Cancelling after the current step…</source>
        <translation>현재 스텝이 끝나면 취소합니다…</translation>
    </message>
    <message>
        <source>UI max gap %1 ms</source>
        <translation>UI 최대 지연 %1 ms</translation>
    </message>
    <message>
        <source>Nothing to export yet</source>
        <translation>아직 내보낼 것이 없습니다</translation>
    </message>
    <message>
        <source>Generate a clip first (Ctrl+Return), then export it.</source>
        <translation>먼저 클립을 생성한 뒤(Ctrl+Return) 내보내세요.</translation>
    </message>
    <message>
        <source>Load settings</source>
        <translation>설정 불러오기</translation>
    </message>
    <message>
        <source>Settings (*.json)</source>
        <translation>설정 (*.json)</translation>
    </message>
    <message>
        <source>Load settings from %1</source>
        <translation>%1에서 설정 불러오기</translation>
    </message>
    <message>
        <source>Cannot load the settings</source>
        <translation>설정을 불러올 수 없습니다</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>Save settings</source>
        <translation>설정 저장</translation>
    </message>
    <message>
        <source>Cannot save the settings</source>
        <translation>설정을 저장할 수 없습니다</translation>
    </message>
    <message>
        <source>Reset settings</source>
        <translation>설정 초기화</translation>
    </message>
    <message>
        <source>Autosave failed: %1</source>
        <translation>자동 저장 실패: %1</translation>
    </message>
    <message numerus="yes">
        <source>%n more generation(s) queued</source>
        <translation>
            <numerusform>대기 중인 생성 %n개</numerusform>
        </translation>
    </message>
    <message>
        <source>Restore</source>
        <translation>복원</translation>
    </message>
    <message>
        <source>Restore every setting of the selected clip (undoable)</source>
        <translation>선택한 클립의 모든 설정을 복원합니다 (실행 취소 가능)</translation>
    </message>
    <message>
        <source>Re-run</source>
        <translation>다시 생성</translation>
    </message>
    <message>
        <source>Generate the selected clip&apos;s settings again with a new seed</source>
        <translation>선택한 클립의 설정으로 새 시드를 써서 다시 생성합니다</translation>
    </message>
    <message>
        <source>★</source>
        <translation>★</translation>
    </message>
    <message>
        <source>Mark the selected clip as favourite (or not)</source>
        <translation>선택한 클립을 즐겨찾기에 추가하거나 뺍니다</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>삭제</translation>
    </message>
    <message>
        <source>Delete the selected clip from the history</source>
        <translation>선택한 클립을 기록에서 삭제합니다</translation>
    </message>
    <message>
        <source>Recover</source>
        <translation>복구</translation>
    </message>
    <message>
        <source>Discard</source>
        <translation>버리기</translation>
    </message>
    <message>
        <source>&amp;New project</source>
        <translation>새 프로젝트(&amp;N)</translation>
    </message>
    <message>
        <source>Start an empty project (the model and the machine settings stay)</source>
        <translation>빈 프로젝트를 시작합니다 (모델과 장치 설정은 유지됩니다)</translation>
    </message>
    <message>
        <source>Open &amp;project…</source>
        <translation>프로젝트 열기(&amp;P)…</translation>
    </message>
    <message>
        <source>Ctrl+Shift+O</source>
        <translation>Ctrl+Shift+O</translation>
    </message>
    <message>
        <source>Open a ConsistI2V Studio project (.ci2v)</source>
        <translation>ConsistI2V 스튜디오 프로젝트(.ci2v)를 엽니다</translation>
    </message>
    <message>
        <source>Save pro&amp;ject</source>
        <translation>프로젝트 저장(&amp;J)</translation>
    </message>
    <message>
        <source>Save the first frame, the settings, the camera path and the history as a project</source>
        <translation>첫 프레임, 설정, 카메라 경로, 기록을 프로젝트로 저장합니다</translation>
    </message>
    <message>
        <source>Save project &amp;as…</source>
        <translation>다른 이름으로 프로젝트 저장(&amp;A)…</translation>
    </message>
    <message>
        <source>Save the project under a new name</source>
        <translation>프로젝트를 새 이름으로 저장합니다</translation>
    </message>
    <message>
        <source>&amp;Queue a batch…</source>
        <translation>일괄 생성 대기열(&amp;Q)…</translation>
    </message>
    <message>
        <source>Ctrl+B</source>
        <translation>Ctrl+B</translation>
    </message>
    <message>
        <source>Several generations one after another: N seeds, or a sweep over τ or D0</source>
        <translation>여러 생성을 차례로 실행합니다: 시드 N개, 또는 τ나 D0를 바꿔 가며</translation>
    </message>
    <message>
        <source>Untitled</source>
        <translation>제목 없음</translation>
    </message>
    <message>
        <source>%1[*] — ConsistI2V Studio</source>
        <translation>%1[*] — ConsistI2V 스튜디오</translation>
    </message>
    <message>
        <source>The last project could not be opened: %1</source>
        <translation>마지막 프로젝트를 열 수 없습니다: %1</translation>
    </message>
    <message>
        <source>The studio did not close properly last time. Unsaved work from %1%2 can be recovered.</source>
        <translation>지난번에 스튜디오가 정상적으로 종료되지 않았습니다. %1%2의 저장되지 않은 작업을 복구할 수 있습니다.</translation>
    </message>
    <message>
        <source> (project %1)</source>
        <translation> (프로젝트 %1)</translation>
    </message>
    <message>
        <source>Recovery failed</source>
        <translation>복구 실패</translation>
    </message>
    <message>
        <source>Recovered the unsaved work; save it as a project to keep it.</source>
        <translation>저장되지 않은 작업을 복구했습니다. 보관하려면 프로젝트로 저장하세요.</translation>
    </message>
    <message>
        <source>New project</source>
        <translation>새 프로젝트</translation>
    </message>
    <message>
        <source>Open project</source>
        <translation>프로젝트 열기</translation>
    </message>
    <message>
        <source>ConsistI2V Studio projects (*.ci2v);;All files (*)</source>
        <translation>ConsistI2V 스튜디오 프로젝트 (*.ci2v);;모든 파일 (*)</translation>
    </message>
    <message>
        <source>Cannot open the project</source>
        <translation>프로젝트를 열 수 없습니다</translation>
    </message>
    <message>
        <source>Opened %1</source>
        <translation>열었습니다: %1</translation>
    </message>
    <message>
        <source>Save project</source>
        <translation>프로젝트 저장</translation>
    </message>
    <message>
        <source>ConsistI2V Studio projects (*.ci2v)</source>
        <translation>ConsistI2V 스튜디오 프로젝트 (*.ci2v)</translation>
    </message>
    <message>
        <source>Cannot save the project</source>
        <translation>프로젝트를 저장할 수 없습니다</translation>
    </message>
    <message>
        <source>Saved %1</source>
        <translation>저장됨: %1</translation>
    </message>
    <message>
        <source>Restore the settings of %1</source>
        <translation>%1의 설정 복원</translation>
    </message>
    <message>
        <source>Settings restored from %1 (seed %2)</source>
        <translation>%1에서 설정을 복원했습니다 (시드 %2)</translation>
    </message>
    <message>
        <source>Cannot restore the settings</source>
        <translation>설정을 복원할 수 없습니다</translation>
    </message>
    <message>
        <source>%1 carries settings this version cannot use: %2</source>
        <translation>%1에 이 버전에서 쓸 수 없는 설정이 들어 있습니다: %2</translation>
    </message>
    <message>
        <source>Restore the settings of #%1</source>
        <translation>#%1의 설정 복원</translation>
    </message>
    <message>
        <source>Settings of #%1 restored (seed %2)</source>
        <translation>#%1의 설정을 복원했습니다 (시드 %2)</translation>
    </message>
    <message>
        <source>Clip #%1 deleted</source>
        <translation>클립 #%1을(를) 삭제했습니다</translation>
    </message>
    <message>
        <source>Cannot queue this generation</source>
        <translation>이 생성을 대기열에 넣을 수 없습니다</translation>
    </message>
    <message numerus="yes">
        <source>%n generation(s) queued</source>
        <translation>
            <numerusform>생성 %n개를 대기열에 넣었습니다</numerusform>
        </translation>
    </message>
    <message>
        <source>Queue a batch</source>
        <translation>일괄 생성 대기열</translation>
    </message>
    <message>
        <source>The same settings with N seeds</source>
        <translation>같은 설정, 시드 N개</translation>
    </message>
    <message>
        <source>A sweep over the noise level τ</source>
        <translation>노이즈 레벨 τ 바꿔 가며</translation>
    </message>
    <message>
        <source>A sweep over D0 spatial</source>
        <translation>공간 D0 바꿔 가며</translation>
    </message>
    <message>
        <source>A sweep over D0 temporal</source>
        <translation>시간 D0 바꿔 가며</translation>
    </message>
    <message>
        <source>Batch</source>
        <translation>일괄 작업</translation>
    </message>
    <message>
        <source>Generations</source>
        <translation>생성 수</translation>
    </message>
    <message>
        <source>From (first seed)</source>
        <translation>시작 값 (첫 시드)</translation>
    </message>
    <message>
        <source>To</source>
        <translation>끝 값</translation>
    </message>
    <message>
        <source>Queue</source>
        <translation>대기열에 넣기</translation>
    </message>
    <message>
        <source>Unsaved changes</source>
        <translation>저장되지 않은 변경 사항</translation>
    </message>
    <message>
        <source>Save the changes to %1?</source>
        <translation>%1의 변경 사항을 저장할까요?</translation>
    </message>
    <message>
        <source>Demo model (toy clips only) · %1 · the real one: File → Download model…</source>
        <translation>데모 모델 (장난감 클립 전용) · %1 · 실제 모델: 파일 → 모델 다운로드…</translation>
    </message>
    <message>
        <source>This is the small demo model the project trained on toy clips (shapes moving on simple backgrounds): it shows how the studio works, not what ConsistI2V can do. Get the real model with File → Download model…</source>
        <translation>프로젝트가 장난감 클립(단순한 배경 위를 움직이는 도형)으로 직접 학습한 작은 데모 모델입니다. 스튜디오의 사용법을 보여 줄 뿐, ConsistI2V의 실력을 보여 주지는 않습니다. 실제 모델은 파일 → 모델 다운로드…에서 받으세요.</translation>
    </message>
    <message>
        <source>Recovered, but not yet safe</source>
        <translation>복구했지만 아직 안전하지 않습니다</translation>
    </message>
    <message>
        <source>The recovered work could not be autosaved (%1); its recovery file %2 is kept. Save it as a project to keep it.</source>
        <translation>복구한 작업을 자동 저장하지 못했습니다(%1). 복구 파일 %2은(는) 그대로 둡니다. 보관하려면 프로젝트로 저장하세요.</translation>
    </message>
    <message>
        <source>Save the changes to %1 first?</source>
        <translation>먼저 %1의 변경 사항을 저장할까요?</translation>
    </message>
    <message>
        <source>Save this untitled work as a project first?</source>
        <translation>먼저 이 제목 없는 작업을 프로젝트로 저장할까요?</translation>
    </message>
    <message>
        <source>Otherwise they are lost.</source>
        <translation>저장하지 않으면 사라집니다.</translation>
    </message>
    <message>
        <source>Unsaved work</source>
        <translation>저장하지 않은 작업</translation>
    </message>
    <message>
        <source>The untitled work could not be kept for the next start (%1). Save it as a project before closing?</source>
        <translation>제목 없는 작업을 다음 실행을 위해 보관하지 못했습니다(%1). 닫기 전에 프로젝트로 저장할까요?</translation>
    </message>
    <message>
        <source>The clip this export was opened for has been deleted.</source>
        <translation>이 내보내기 대상이던 클립이 삭제되었습니다.</translation>
    </message>
    <message>
        <source>Cancel &amp;all</source>
        <translation>모두 취소(&amp;A)</translation>
    </message>
    <message>
        <source>Shift+Esc</source>
        <translation>Shift+Esc</translation>
    </message>
    <message>
        <source>Stop the running generation and drop the queued ones</source>
        <translation>실행 중인 생성을 멈추고 대기 중인 생성을 모두 취소합니다</translation>
    </message>
    <message numerus="yes">
        <source>%n more generation(s) failed after this one. The last: %1</source>
        <translation>
            <numerusform>이후 생성 %n개도 실패했습니다. 마지막 오류: %1</numerusform>
        </translation>
    </message>
    <message>
        <source>Generation failed: %1</source>
        <translation>생성 실패: %1</translation>
    </message>
    <message numerus="yes">
        <source>Cancelling after the current step; %n queued generation(s) dropped</source>
        <translation>
            <numerusform>현재 단계 후 취소합니다. 대기 중인 생성 %n개를 취소했습니다</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>A generation is running and %n more are queued.</source>
        <translation>
            <numerusform>생성이 실행 중이며 %n개가 더 대기 중입니다.</numerusform>
        </translation>
    </message>
    <message>
        <source>A generation is running.</source>
        <translation>생성이 실행 중입니다.</translation>
    </message>
    <message>
        <source>Generation running</source>
        <translation>생성 실행 중</translation>
    </message>
    <message>
        <source>Stop and close the studio? What it has not finished is lost.</source>
        <translation>멈추고 스튜디오를 닫을까요? 끝나지 않은 작업은 사라집니다.</translation>
    </message>
    <message>
        <source>Stop and close</source>
        <translation>멈추고 닫기</translation>
    </message>
    <message>
        <source>autosave is not running</source>
        <translation>자동 저장이 실행 중이 아닙니다</translation>
    </message>
    <message>
        <source>The work could not be kept in the recovery file either (%1). Close anyway and lose it?</source>
        <translation>작업을 복구 파일에도 보관하지 못했습니다(%1). 그래도 닫고 작업을 잃을까요?</translation>
    </message>
    <message>
        <source>Loading %1 … %2 %</source>
        <translation>%1 불러오는 중… %2 %</translation>
    </message>
    <message>
        <source>Not loaded: the loading was stopped. It loads at the next generation.</source>
        <translation>불러오지 않음: 불러오기가 중단되었습니다. 다음 생성 때 불러옵니다.</translation>
    </message>
    <message>
        <source>The last session could not be restored</source>
        <translation>지난 세션을 복원할 수 없습니다</translation>
    </message>
    <message>
        <source>%1

The file is kept as %2.</source>
        <translation>%1

파일은 %2(으)로 보관했습니다.</translation>
    </message>
    <message>
        <source>%1

The file %2 is left as it is; this session&apos;s untitled work will not replace it.</source>
        <translation>%1

파일 %2은(는) 그대로 둡니다. 이번 세션의 제목 없는 작업이 이 파일을 대체하지 않습니다.</translation>
    </message>
    <message>
        <source>%1 could not be restored at the start and is left as it is</source>
        <translation>%1을(를) 시작할 때 복원할 수 없어 그대로 두었습니다</translation>
    </message>
    <message>
        <source>Their clips would go into the project that comes next. Stop them?</source>
        <translation>그 클립은 다음에 여는 프로젝트에 들어갑니다. 멈출까요?</translation>
    </message>
    <message>
        <source>Stop them</source>
        <translation>멈추기</translation>
    </message>
    <message>
        <source>Let them go on</source>
        <translation>계속 진행</translation>
    </message>
    <message>
        <source>Ready on %1 (%2)</source>
        <translation>%1에서 준비됨 (%2)</translation>
    </message>
    <message>
        <source>Delete clip</source>
        <translation>클립 삭제</translation>
    </message>
    <message>
        <source>Delete clip #%1 (seed %2)? This cannot be undone.</source>
        <translation>클립 #%1(시드 %2)을(를) 삭제할까요? 되돌릴 수 없습니다.</translation>
    </message>
    <message>
        <source>The project&apos;s model cannot be used: %1</source>
        <translation>프로젝트의 모델을 사용할 수 없습니다: %1</translation>
    </message>
    <message>
        <source>Re-run of #%1: %2</source>
        <translation>#%1 다시 실행: %2</translation>
    </message>
    <message>
        <source>Loads when the queued generations (with the model they were queued with) are done</source>
        <translation>대기 중인 생성 작업(대기열에 넣을 때의 모델 사용)이 끝나면 불러옵니다</translation>
    </message>
    <message>
        <source>Loading for %1 (%2)…</source>
        <translation>%1 (%2)용으로 불러오는 중…</translation>
    </message>
    <message>
        <source>Autosave is off (%1); it tries again every minute.</source>
        <translation>자동 저장이 꺼져 있습니다 (%1). 1분마다 다시 시도합니다.</translation>
    </message>
    <message>
        <source>Another ConsistI2V Studio window has the last session open: this one starts empty (save its work as a project to keep it)</source>
        <translation>다른 ConsistI2V Studio 창이 지난 세션을 열고 있습니다. 이 창은 빈 상태로 시작합니다 (작업을 보관하려면 프로젝트로 저장하세요)</translation>
    </message>
    <message>
        <source> (project %1, which was saved after it)</source>
        <translation> (프로젝트 %1, 이 작업 이후에 저장됨)</translation>
    </message>
    <message>
        <source>%1 was saved after this work, so it is recovered as untitled (Save asks for a name)</source>
        <translation>%1이(가) 이 작업 이후에 저장되었으므로 제목 없음으로 복구합니다 (저장할 때 이름을 묻습니다)</translation>
    </message>
    <message>
        <source>Discard the unsaved work</source>
        <translation>저장하지 않은 작업 버리기</translation>
    </message>
    <message>
        <source>Discard the work from %1 for good? It cannot be recovered afterwards.</source>
        <translation>%1의 작업을 완전히 버릴까요? 나중에 복구할 수 없습니다.</translation>
    </message>
    <message>
        <source>another ConsistI2V Studio window keeps its own untitled work there</source>
        <translation>다른 ConsistI2V Studio 창이 그곳에 자신의 제목 없는 작업을 보관합니다</translation>
    </message>
    <message>
        <source>The negative prompt has no effect while the prompt and picture strengths are both 1 or less (it only steers guidance).</source>
        <translation>프롬프트 강도와 이미지 강도가 모두 1 이하이면 네거티브 프롬프트는 효과가 없습니다 (가이던스에만 작용합니다).</translation>
    </message>
    <message>
        <source>FrameInit is off: the denoising starts from plain noise, and the camera move only gives the first frame (its first crop).</source>
        <translation>FrameInit이 꺼져 있습니다: 디노이징이 순수한 노이즈에서 시작하며, 카메라 이동은 첫 프레임(첫 번째 크롭)만 정합니다.</translation>
    </message>
    <message>
        <source>Using the downloaded ConsistI2V weights instead of the demo model.</source>
        <translation>데모 모델 대신 다운로드한 ConsistI2V 가중치를 사용합니다.</translation>
    </message>
    <message>
        <source>The model folder %1 could not be opened (%2); using the downloaded ConsistI2V weights.</source>
        <translation>모델 폴더 %1을(를) 열 수 없습니다 (%2). 다운로드한 ConsistI2V 가중치를 사용합니다.</translation>
    </message>
    <message>
        <source>The model folder %1 could not be opened (%2); using the demo model.</source>
        <translation>모델 폴더 %1을(를) 열 수 없습니다 (%2). 데모 모델을 사용합니다.</translation>
    </message>
    <message>
        <source>The last session&apos;s model could not be used (%1); using %2.</source>
        <translation>지난 세션의 모델을 사용할 수 없습니다 (%1). %2을(를) 사용합니다.</translation>
    </message>
</context>
<context>
    <name>studio::ModelDownloadDialog</name>
    <message>
        <source>Download the ConsistI2V model</source>
        <translation>ConsistI2V 모델 다운로드</translation>
    </message>
    <message>
        <source>&lt;b&gt;TIGER-Lab/ConsistI2V&lt;/b&gt; from the Hugging Face hub: about 6.7 GB (UNet, VAE, text encoder, tokenizer). An interrupted download continues where it stopped.</source>
        <translation>Hugging Face 허브의 &lt;b&gt;TIGER-Lab/ConsistI2V&lt;/b&gt;: 약 6.7 GB (UNet, VAE, 텍스트 인코더, 토크나이저). 다운로드가 중단되면 멈춘 곳부터 이어 받습니다.</translation>
    </message>
    <message>
        <source>Hugging Face cache, shared with other tools: %1</source>
        <translation>다른 도구와 함께 쓰는 Hugging Face 캐시: %1</translation>
    </message>
    <message>
        <source>A folder I choose:</source>
        <translation>직접 고른 폴더:</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>찾아보기…</translation>
    </message>
    <message>
        <source>Folder for the model</source>
        <translation>모델을 저장할 폴더</translation>
    </message>
    <message>
        <source>Ready.</source>
        <translation>준비됨.</translation>
    </message>
    <message>
        <source>&amp;Download</source>
        <translation>다운로드(&amp;D)</translation>
    </message>
    <message>
        <source>Done: %1</source>
        <translation>완료: %1</translation>
    </message>
    <message>
        <source>The download failed.</source>
        <translation>다운로드에 실패했습니다.</translation>
    </message>
    <message>
        <source>Cancelled. Download again to continue where it stopped.</source>
        <translation>취소했습니다. 다시 다운로드하면 멈춘 곳부터 이어 받습니다.</translation>
    </message>
    <message>
        <source>&amp;Cancel download</source>
        <translation>다운로드 취소(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;Close</source>
        <translation>닫기(&amp;C)</translation>
    </message>
    <message>
        <source>Choose the folder for the model first.</source>
        <translation>먼저 모델을 저장할 폴더를 고르세요.</translation>
    </message>
    <message>
        <source>Asking the hub for the file list…</source>
        <translation>허브에 파일 목록을 요청하는 중…</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>취소하는 중…</translation>
    </message>
    <message>
        <source>File %1 of %2: %3%4</source>
        <translation>파일 %1/%2: %3%4</translation>
    </message>
    <message>
        <source> (checking its sha256)</source>
        <translation> (sha256 확인 중)</translation>
    </message>
    <message>
        <source>%1 of %2 · %3/s · %4 left</source>
        <translation>%1 / %2 · %3/s · %4 남음</translation>
    </message>
    <message>
        <source>&amp;Use it</source>
        <translation>사용(&amp;U)</translation>
    </message>
    <message>
        <source>The hub could not be reached, so nothing was downloaded. A complete copy of the model is already here: %1</source>
        <translation>허브에 연결할 수 없어 아무것도 받지 않았습니다. 모델의 완전한 사본이 이미 여기 있습니다: %1</translation>
    </message>
    <message>
        <source> (waiting: another download is fetching it)</source>
        <translation> (대기 중: 다른 다운로드가 이 파일을 받고 있습니다)</translation>
    </message>
</context>
<context>
    <name>studio::ModelPicker</name>
    <message>
        <source>Model folder (ConsistI2V, diffusers layout)</source>
        <translation>모델 폴더 (ConsistI2V, diffusers 구조)</translation>
    </message>
    <message>
        <source>A ConsistI2V model folder (with model_index.json), a Hugging Face cache folder (models--TIGER-Lab--ConsistI2V) or the hub cache root.</source>
        <translation>ConsistI2V 모델 폴더(model_index.json 포함), Hugging Face 캐시 폴더(models--TIGER-Lab--ConsistI2V) 또는 허브 캐시 루트.</translation>
    </message>
    <message>
        <source>Folder…</source>
        <translation>폴더…</translation>
    </message>
    <message>
        <source>Choose the model folder</source>
        <translation>모델 폴더 선택</translation>
    </message>
    <message>
        <source>HF cache</source>
        <translation>HF 캐시</translation>
    </message>
    <message>
        <source>Use the model from the Hugging Face cache (downloaded with huggingface-cli or Python)</source>
        <translation>Hugging Face 캐시의 모델 사용 (huggingface-cli나 Python으로 받은 모델)</translation>
    </message>
    <message>
        <source>No model chosen yet.</source>
        <translation>아직 모델을 선택하지 않았습니다.</translation>
    </message>
    <message>
        <source>Choose the ConsistI2V model folder</source>
        <translation>ConsistI2V 모델 폴더 선택</translation>
    </message>
</context>
<context>
    <name>studio::ParameterPanel</name>
    <message>
        <source>&lt;b&gt;τ — how much of your picture&apos;s layout seeds the motion&lt;/b&gt;&lt;br&gt;Before animating, FrameInit takes a blurred copy of your first frame and buries it under noise up to this level (1–999). &lt;b&gt;Lower&lt;/b&gt; τ (e.g. 600–750) keeps more of the picture&apos;s layout and colours: steadier, more faithful clips with gentler motion. &lt;b&gt;Higher&lt;/b&gt; τ (up to 999) gives the model more freedom: livelier motion, but the scene may drift from your picture.&lt;br&gt;Reference: 850 (750 with a camera move).</source>
        <translation>&lt;b&gt;τ — 이미지의 구도를 움직임에 얼마나 반영할지&lt;/b&gt;&lt;br&gt;애니메이션을 만들기 전에 FrameInit은 첫 프레임을 흐리게 복사해 이 레벨(1–999)까지 노이즈로 덮습니다. τ가 &lt;b&gt;낮으면&lt;/b&gt; (예: 600–750) 이미지의 구도와 색을 더 많이 유지해 움직임은 부드럽고 원본에 더 충실한 안정적인 클립이 됩니다. τ가 &lt;b&gt;높으면&lt;/b&gt; (최대 999) 모델의 자유도가 커져 움직임은 활발해지지만 장면이 원본 이미지에서 벗어날 수 있습니다.&lt;br&gt;기준값: 850 (카메라 움직임이 있으면 750).</translation>
    </message>
    <message>
        <source>&lt;b&gt;D0 spatial — how much picture detail guides every frame&lt;/b&gt;&lt;br&gt;The size of the blur filter FrameInit applies in space, from 0 to 1. &lt;b&gt;Small&lt;/b&gt; values pass only broad shapes and colours of your picture to every frame (the model invents the details, so things can move more). &lt;b&gt;Large&lt;/b&gt; values pass finer structure too: frames stick closer to the first frame but can look frozen.&lt;br&gt;Reference: 0.25 (0.5 with a camera move).</source>
        <translation>&lt;b&gt;D0 공간 — 이미지의 디테일이 각 프레임을 얼마나 이끌지&lt;/b&gt;&lt;br&gt;FrameInit이 공간 방향으로 적용하는 블러 필터의 크기(0–1)입니다. 값이 &lt;b&gt;작으면&lt;/b&gt; 이미지의 큰 형태와 색만 각 프레임에 전달되어 디테일은 모델이 만들어 내므로 더 많이 움직일 수 있습니다. 값이 &lt;b&gt;크면&lt;/b&gt; 세밀한 구조까지 전달되어 프레임이 첫 프레임에 더 가까워지지만 멈춰 보일 수 있습니다.&lt;br&gt;기준값: 0.25 (카메라 움직임이 있으면 0.5).</translation>
    </message>
    <message>
        <source>&lt;b&gt;D0 temporal — how quickly the layout may change over time&lt;/b&gt;&lt;br&gt;The same blur filter along time, from 0 to 1. &lt;b&gt;Small&lt;/b&gt; values keep one stable layout through the whole clip (calm, consistent scenes). &lt;b&gt;Large&lt;/b&gt; values let the layout change from frame to frame (faster changes, more risk of flicker).&lt;br&gt;Reference: 0.25 (0.5 with a camera move).</source>
        <translation>&lt;b&gt;D0 시간 — 구도가 시간에 따라 얼마나 빨리 바뀔 수 있는지&lt;/b&gt;&lt;br&gt;같은 블러 필터를 시간 방향으로 적용한 크기(0–1)입니다. 값이 &lt;b&gt;작으면&lt;/b&gt; 클립 전체에서 하나의 안정된 구도를 유지합니다 (차분하고 일관된 장면). 값이 &lt;b&gt;크면&lt;/b&gt; 프레임마다 구도가 바뀔 수 있습니다 (변화가 빠르고 깜빡임 위험이 커짐).&lt;br&gt;기준값: 0.25 (카메라 움직임이 있으면 0.5).</translation>
    </message>
    <message>
        <source>Motion &amp;&amp; consistency (FrameInit)</source>
        <translation>움직임 &amp;&amp; 일관성 (FrameInit)</translation>
    </message>
    <message>
        <source>Seed the motion with the first frame&apos;s layout</source>
        <translation>첫 프레임의 구도로 움직임 시작</translation>
    </message>
    <message>
        <source>FrameInit: start from a blurred, noised copy of your picture instead of pure noise. Keeps the clip consistent with the first frame. Leave it on unless you want wild motion.</source>
        <translation>FrameInit: 순수 노이즈 대신 이미지를 흐리게 하고 노이즈를 더한 복사본에서 시작합니다. 클립이 첫 프레임과 일관되게 유지됩니다. 격한 움직임을 원하지 않는다면 켜 두세요.</translation>
    </message>
    <message>
        <source>Noise level τ</source>
        <translation>노이즈 레벨 τ</translation>
    </message>
    <message>
        <source>D0 spatial</source>
        <translation>D0 공간</translation>
    </message>
    <message>
        <source>D0 temporal</source>
        <translation>D0 시간</translation>
    </message>
    <message>
        <source>Gaussian (soft)</source>
        <translation>가우시안 (부드러움)</translation>
    </message>
    <message>
        <source>Butterworth</source>
        <translation>Butterworth</translation>
    </message>
    <message>
        <source>Ideal (sharp cut)</source>
        <translation>이상적 (급격한 차단)</translation>
    </message>
    <message>
        <source>Box</source>
        <translation>박스</translation>
    </message>
    <message>
        <source>The shape of the FrameInit blur. Gaussian is soft and the reference; Ideal and Box cut hard (can ring); Butterworth is in between (see its order).</source>
        <translation>FrameInit 블러의 형태. 가우시안은 부드럽고 기준값입니다. 이상적 필터와 박스는 급격히 차단합니다 (링잉이 생길 수 있음). Butterworth는 그 중간입니다 (차수 참고).</translation>
    </message>
    <message>
        <source>Filter</source>
        <translation>필터</translation>
    </message>
    <message>
        <source>Butterworth filter order: higher = a sharper cut between kept and new detail.</source>
        <translation>Butterworth 필터 차수: 높을수록 유지할 디테일과 새 디테일 사이가 더 급격히 나뉩니다.</translation>
    </message>
    <message>
        <source>Butterworth order</source>
        <translation>Butterworth 차수</translation>
    </message>
    <message>
        <source>Guidance</source>
        <translation>가이던스</translation>
    </message>
    <message>
        <source>How strongly the clip follows the prompt. Higher = closer to the words, but colours can burn and motion stiffen. Reference: 7.5.</source>
        <translation>클립이 프롬프트를 얼마나 강하게 따를지. 높을수록 문구에 가까워지지만 색이 타고 움직임이 뻣뻣해질 수 있습니다. 기준값: 7.5.</translation>
    </message>
    <message>
        <source>Prompt strength (text CFG)</source>
        <translation>프롬프트 강도 (텍스트 CFG)</translation>
    </message>
    <message>
        <source>How strongly the clip follows the first frame. 1 = off (the reference); above 1 adds a third guidance pass (slower) that pulls every frame toward your picture.</source>
        <translation>클립이 첫 프레임을 얼마나 강하게 따를지. 1 = 끔 (기준값). 1보다 크면 모든 프레임을 이미지 쪽으로 당기는 세 번째 가이던스 패스가 추가됩니다 (더 느림).</translation>
    </message>
    <message>
        <source>Picture strength (image CFG)</source>
        <translation>이미지 강도 (이미지 CFG)</translation>
    </message>
    <message>
        <source>Tames over-saturated colours at high prompt strength (0 = off, 0.7 is common). Cannot be combined with picture strength above 1.</source>
        <translation>프롬프트 강도가 높을 때 과포화된 색을 누그러뜨립니다 (0 = 끔, 보통 0.7). 이미지 강도가 1보다 크면 함께 쓸 수 없습니다.</translation>
    </message>
    <message>
        <source>Guidance rescale</source>
        <translation>가이던스 리스케일</translation>
    </message>
    <message>
        <source>Sampling</source>
        <translation>샘플링</translation>
    </message>
    <message>
        <source>Denoising steps. More = finer detail and slower. Reference: 50; 20–25 for quick drafts.</source>
        <translation>디노이징 스텝 수. 많을수록 디테일이 섬세해지고 느려집니다. 기준값: 50, 빠른 초안은 20–25.</translation>
    </message>
    <message>
        <source>Steps</source>
        <translation>스텝</translation>
    </message>
    <message>
        <source>DDIM (reference)</source>
        <translation>DDIM (기준)</translation>
    </message>
    <message>
        <source>DPM-Solver++ 2M (fewer steps)</source>
        <translation>DPM-Solver++ 2M (적은 스텝)</translation>
    </message>
    <message>
        <source>The denoising method. DDIM is the reference; DPM-Solver++ reaches similar quality in fewer steps.</source>
        <translation>디노이징 방식. DDIM이 기준이며, DPM-Solver++는 더 적은 스텝으로 비슷한 품질을 냅니다.</translation>
    </message>
    <message>
        <source>Sampler</source>
        <translation>샘플러</translation>
    </message>
    <message>
        <source>DDIM randomness per step: 0 = deterministic (the reference).</source>
        <translation>스텝마다의 DDIM 무작위성: 0 = 결정적 (기준값).</translation>
    </message>
    <message>
        <source>DDIM eta</source>
        <translation>DDIM eta</translation>
    </message>
    <message>
        <source>Random</source>
        <translation>무작위</translation>
    </message>
    <message>
        <source>A new random seed for every run (the seed used is shown with each result).</source>
        <translation>실행할 때마다 새 무작위 시드 (사용된 시드는 각 결과에 표시됩니다).</translation>
    </message>
    <message>
        <source>The same seed with the same settings gives the same clip.</source>
        <translation>같은 설정에 같은 시드를 쓰면 같은 클립이 나옵니다.</translation>
    </message>
    <message>
        <source>Roll</source>
        <translation>뽑기</translation>
    </message>
    <message>
        <source>Roll a new fixed seed</source>
        <translation>새 고정 시드 뽑기</translation>
    </message>
    <message>
        <source>Seed</source>
        <translation>시드</translation>
    </message>
    <message>
        <source>Video</source>
        <translation>영상</translation>
    </message>
    <message>
        <source>Frames per chunk, your first frame included. Reference: 16.</source>
        <translation>청크당 프레임 수 (첫 프레임 포함). 기준값: 16.</translation>
    </message>
    <message>
        <source>Frames</source>
        <translation>프레임 수</translation>
    </message>
    <message>
        <source>Time between generated frames, in frames of the training videos. Larger = more motion per frame (faster action); smaller = slow motion. Reference: 3.</source>
        <translation>생성된 프레임 사이의 시간 (학습 영상의 프레임 단위). 클수록 프레임당 움직임이 커지고 (빠른 동작), 작을수록 슬로 모션이 됩니다. 기준값: 3.</translation>
    </message>
    <message>
        <source>Frame stride</source>
        <translation>프레임 간격</translation>
    </message>
    <message>
        <source>256 × 256 (reference)</source>
        <translation>256 × 256 (기준)</translation>
    </message>
    <message>
        <source>512 × 512</source>
        <translation>512 × 512</translation>
    </message>
    <message>
        <source>384 × 256 (wide)</source>
        <translation>384 × 256 (와이드)</translation>
    </message>
    <message>
        <source>64 × 64 (demo model)</source>
        <translation>64 × 64 (데모 모델)</translation>
    </message>
    <message>
        <source>Custom</source>
        <translation>사용자 지정</translation>
    </message>
    <message>
        <source>The size the model works at; the canvas shows which part of your picture it sees.</source>
        <translation>모델이 작업하는 크기. 캔버스에 이미지의 어느 부분을 보는지 표시됩니다.</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>크기</translation>
    </message>
    <message>
        <source> px</source>
        <translation> px</translation>
    </message>
    <message>
        <source>Width in pixels, a multiple of 8. Bigger needs much more memory and time.</source>
        <translation>너비 (픽셀, 8의 배수). 클수록 메모리와 시간이 훨씬 많이 듭니다.</translation>
    </message>
    <message>
        <source>Height in pixels, a multiple of 8. Bigger needs much more memory and time.</source>
        <translation>높이 (픽셀, 8의 배수). 클수록 메모리와 시간이 훨씬 많이 듭니다.</translation>
    </message>
    <message>
        <source>Crop the centre</source>
        <translation>가운데 자르기</translation>
    </message>
    <message>
        <source>Fit inside (pad)</source>
        <translation>안에 맞추기 (여백)</translation>
    </message>
    <message>
        <source>How your picture is fitted to the size: crop the centre (the reference) or fit it whole with grey bars.</source>
        <translation>이미지를 크기에 맞추는 방식: 가운데를 자르거나 (기준) 회색 여백을 두고 전체를 맞춥니다.</translation>
    </message>
    <message>
        <source>Fit</source>
        <translation>맞춤</translation>
    </message>
    <message>
        <source>Longer clips: each extra chunk continues from the last frame of the previous one.</source>
        <translation>더 긴 클립: 추가 청크마다 이전 청크의 마지막 프레임에서 이어집니다.</translation>
    </message>
    <message>
        <source>Chunks</source>
        <translation>청크</translation>
    </message>
    <message>
        <source>Still (no camera move)</source>
        <translation>고정 (카메라 움직임 없음)</translation>
    </message>
    <message>
        <source>Pan left</source>
        <translation>왼쪽으로 팬</translation>
    </message>
    <message>
        <source>Pan right</source>
        <translation>오른쪽으로 팬</translation>
    </message>
    <message>
        <source>Zoom in</source>
        <translation>줌 인</translation>
    </message>
    <message>
        <source>Zoom out</source>
        <translation>줌 아웃</translation>
    </message>
    <message>
        <source>Tilt up</source>
        <translation>위로 틸트</translation>
    </message>
    <message>
        <source>Tilt down</source>
        <translation>아래로 틸트</translation>
    </message>
    <message>
        <source>Custom path (camera editor)</source>
        <translation>사용자 경로 (카메라 편집기)</translation>
    </message>
    <message>
        <source>A camera move built from your picture (FrameInit follows it). Choosing one switches τ and D0 to the paper&apos;s camera values when they are still at their defaults.</source>
        <translation>이미지로 만드는 카메라 움직임 (FrameInit이 따라갑니다). 선택하면 τ와 D0가 아직 기본값일 때 논문의 카메라용 값으로 바뀝니다.</translation>
    </message>
    <message>
        <source>Camera</source>
        <translation>카메라</translation>
    </message>
    <message>
        <source>Hardware</source>
        <translation>하드웨어</translation>
    </message>
    <message>
        <source>Automatic (GPU when present)</source>
        <translation>자동 (GPU가 있으면 GPU)</translation>
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
        <translation>모델을 실행할 장치.</translation>
    </message>
    <message>
        <source>Device</source>
        <translation>장치</translation>
    </message>
    <message>
        <source>fp32 (exact)</source>
        <translation>fp32 (정확)</translation>
    </message>
    <message>
        <source>fp16 (half the memory, GPU)</source>
        <translation>fp16 (메모리 절반, GPU)</translation>
    </message>
    <message>
        <source>bf16 (half the memory)</source>
        <translation>bf16 (메모리 절반)</translation>
    </message>
    <message>
        <source>Number precision. fp16/bf16 halve the memory on a GPU (use them when the GPU runs out of memory).</source>
        <translation>수치 정밀도. fp16/bf16은 GPU 메모리를 절반으로 줄입니다 (GPU 메모리가 부족할 때 사용하세요).</translation>
    </message>
    <message>
        <source>Precision</source>
        <translation>정밀도</translation>
    </message>
    <message>
        <source>Reset to the reference settings</source>
        <translation>기준 설정으로 초기화</translation>
    </message>
    <message>
        <source>Every setting back to the reference defaults (prompts and seed are kept).</source>
        <translation>모든 설정을 기준 기본값으로 되돌립니다 (프롬프트와 시드는 유지).</translation>
    </message>
    <message>
        <source>The zoom presets need a square video (width = height).</source>
        <translation>줌 프리셋은 정사각형 영상(너비 = 높이)이 필요합니다.</translation>
    </message>
    <message>
        <source>Draw a crop on the first frame, or edit a preset there, to make a path of your own.</source>
        <translation>첫 프레임에 크롭을 그리거나 프리셋을 그곳에서 편집해 나만의 경로를 만드세요.</translation>
    </message>
</context>
<context>
    <name>studio::PreviewStrip</name>
    <message>
        <source>Layout: the blurred first frame FrameInit keeps</source>
        <translation>구도: FrameInit이 유지하는 흐린 첫 프레임</translation>
    </message>
    <message>
        <source>Detail: the fresh noise FrameInit adds</source>
        <translation>디테일: FrameInit이 더하는 새 노이즈</translation>
    </message>
    <message>
        <source>Start: the two mixed, where denoising begins</source>
        <translation>시작: 둘을 섞은 것, 디노이징의 출발점</translation>
    </message>
    <message>
        <source>Frame %1 as the model currently imagines it</source>
        <translation>모델이 지금 그리고 있는 프레임 %1</translation>
    </message>
    <message>
        <source>Ready</source>
        <translation>준비됨</translation>
    </message>
    <message>
        <source>Not started</source>
        <translation>시작 전</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1초</translation>
    </message>
    <message>
        <source>%1 min %2 s</source>
        <translation>%1분 %2초</translation>
    </message>
    <message>
        <source>%1 h %2 min</source>
        <translation>%1시간 %2분</translation>
    </message>
    <message>
        <source>Step %1 of %2 · %3 elapsed · about %4 left</source>
        <translation>스텝 %1/%2 · %3 경과 · 약 %4 남음</translation>
    </message>
</context>
<context>
    <name>studio::Project</name>
    <message>
        <source>%1 is not a JSON object</source>
        <translation>%1은(는) JSON 객체가 아닙니다</translation>
    </message>
    <message>
        <source>%1 has no &quot;%2&quot;</source>
        <translation>%1에 &quot;%2&quot;이(가) 없습니다</translation>
    </message>
    <message>
        <source>%1: &quot;%2&quot; must be a string</source>
        <translation>%1: &quot;%2&quot;은(는) 문자열이어야 합니다</translation>
    </message>
    <message>
        <source>%1: &quot;%2&quot; must be a list of strings</source>
        <translation>%1: &quot;%2&quot;은(는) 문자열 목록이어야 합니다</translation>
    </message>
    <message>
        <source>%1: &quot;%2&quot; must be an integer</source>
        <translation>%1: &quot;%2&quot;은(는) 정수여야 합니다</translation>
    </message>
    <message>
        <source>%1: &quot;%2&quot; must be a non-negative integer</source>
        <translation>%1: &quot;%2&quot;은(는) 0 이상의 정수여야 합니다</translation>
    </message>
    <message>
        <source>%1: &quot;%2&quot; must be a number</source>
        <translation>%1: &quot;%2&quot;은(는) 숫자여야 합니다</translation>
    </message>
    <message>
        <source>%1: &quot;%2&quot; must be true or false</source>
        <translation>%1: &quot;%2&quot;은(는) true 또는 false여야 합니다</translation>
    </message>
    <message>
        <source>%1: invalid parameters: %2</source>
        <translation>%1: 잘못된 매개변수: %2</translation>
    </message>
    <message>
        <source>%1: invalid camera path: %2</source>
        <translation>%1: 잘못된 카메라 경로: %2</translation>
    </message>
    <message>
        <source>%1: invalid camera preset: %2</source>
        <translation>%1: 잘못된 카메라 프리셋: %2</translation>
    </message>
    <message>
        <source>entry &quot;%1&quot; is not a readable PNG picture: %2</source>
        <translation>항목 &quot;%1&quot;은(는) 읽을 수 있는 PNG 이미지가 아닙니다: %2</translation>
    </message>
    <message>
        <source>entry &quot;%1&quot; is a %2 × %3 picture, larger than the limit of %4 pixels a side / %5 pixels</source>
        <translation>항목 &quot;%1&quot;은(는) %2 × %3 이미지로, 한 변 %4픽셀 / 총 %5픽셀 제한보다 큽니다</translation>
    </message>
    <message>
        <source>entry &quot;%1&quot; cannot be decoded as PNG: %2</source>
        <translation>항목 &quot;%1&quot;을(를) PNG로 디코딩할 수 없습니다: %2</translation>
    </message>
    <message>
        <source>the picture &quot;%1&quot; cannot be encoded as PNG</source>
        <translation>이미지 &quot;%1&quot;을(를) PNG로 인코딩할 수 없습니다</translation>
    </message>
    <message>
        <source>the manifest refers to &quot;%1&quot;, which the file does not contain</source>
        <translation>매니페스트가 가리키는 &quot;%1&quot;이(가) 파일에 없습니다</translation>
    </message>
    <message>
        <source>%1: &quot;results&quot; must be a list</source>
        <translation>%1: &quot;results&quot;는 목록이어야 합니다</translation>
    </message>
    <message>
        <source>%1 result %2</source>
        <translation>%1 결과 %2</translation>
    </message>
    <message>
        <source>%1: the id %2 is used twice</source>
        <translation>%1: ID %2이(가) 두 번 쓰였습니다</translation>
    </message>
    <message>
        <source>%1 has no frames</source>
        <translation>%1에 프레임이 없습니다</translation>
    </message>
    <message>
        <source>%1: frame &quot;%2&quot; is %3 × %4, the first frame of the clip %5 × %6</source>
        <translation>%1: 프레임 &quot;%2&quot;은(는) %3 × %4인데 클립의 첫 프레임은 %5 × %6입니다</translation>
    </message>
    <message>
        <source>%1: &quot;current_result&quot; = %2 is not -1 or the index of one of the %3 results</source>
        <translation>%1: &quot;current_result&quot; = %2은(는) -1도 아니고 결과 %3개 중 하나의 인덱스도 아닙니다</translation>
    </message>
    <message>
        <source>%1 cannot be opened: %2</source>
        <translation>%1을(를) 열 수 없습니다: %2</translation>
    </message>
    <message>
        <source>it is not a ConsistI2V Studio project file (its first bytes are not the project signature)</source>
        <translation>ConsistI2V 스튜디오 프로젝트 파일이 아닙니다 (첫 바이트가 프로젝트 서명과 다릅니다)</translation>
    </message>
    <message>
        <source>the file is truncated (%1 bytes, shorter than the %2-byte header)</source>
        <translation>파일이 잘렸습니다 (%1바이트로, %2바이트 헤더보다 짧습니다)</translation>
    </message>
    <message>
        <source>the file is truncated: it has %1 bytes, its header announces %2</source>
        <translation>파일이 잘렸습니다: %1바이트인데 헤더에는 %2바이트로 적혀 있습니다</translation>
    </message>
    <message>
        <source>the file has %1 bytes, its header announces %2: extra data after the end</source>
        <translation>파일은 %1바이트인데 헤더에는 %2바이트로 적혀 있습니다: 끝 뒤에 추가 데이터가 있습니다</translation>
    </message>
    <message>
        <source>the table of contents (%1 bytes) does not fit into the file</source>
        <translation>목차(%1바이트)가 파일 안에 들어가지 않습니다</translation>
    </message>
    <message>
        <source>the header or table of contents is damaged (CRC-32 %1, expected %2)</source>
        <translation>헤더나 목차가 손상되었습니다 (CRC-32 %1, 예상값 %2)</translation>
    </message>
    <message>
        <source>it was written by a newer version of the studio (project format %1; this version reads formats up to %2)</source>
        <translation>더 새로운 버전의 스튜디오로 저장되었습니다 (프로젝트 형식 %1, 이 버전은 형식 %2까지 읽습니다)</translation>
    </message>
    <message>
        <source>it announces %1 entries (the limit is %2)</source>
        <translation>항목이 %1개로 적혀 있습니다 (제한은 %2개)</translation>
    </message>
    <message>
        <source>the table of contents ends inside entry %1 of %2</source>
        <translation>목차가 항목 %1/%2 중간에서 끝납니다</translation>
    </message>
    <message>
        <source>entry %1 has a name of %2 bytes</source>
        <translation>항목 %1의 이름이 %2바이트입니다</translation>
    </message>
    <message>
        <source>the entry &quot;%1&quot; appears twice</source>
        <translation>항목 &quot;%1&quot;이(가) 두 번 나옵니다</translation>
    </message>
    <message>
        <source>the entry &quot;%1&quot; announces %2 bytes (the limit is %3)</source>
        <translation>항목 &quot;%1&quot;이(가) %2바이트로 적혀 있습니다 (제한은 %3)</translation>
    </message>
    <message>
        <source>the entry &quot;%1&quot; lies outside the file or overlaps another one (offset %2, %3 bytes, file %4 bytes)</source>
        <translation>항목 &quot;%1&quot;이(가) 파일 밖에 있거나 다른 항목과 겹칩니다 (오프셋 %2, %3바이트, 파일 %4바이트)</translation>
    </message>
    <message>
        <source>the entry &quot;%1&quot; is damaged (CRC-32 %2, expected %3)</source>
        <translation>항목 &quot;%1&quot;이(가) 손상되었습니다 (CRC-32 %2, 예상값 %3)</translation>
    </message>
    <message>
        <source>the table of contents has %1 bytes left over</source>
        <translation>목차에 %1바이트가 남습니다</translation>
    </message>
    <message>
        <source>%1 bytes after the last entry belong to no entry</source>
        <translation>마지막 항목 뒤의 %1바이트가 어느 항목에도 속하지 않습니다</translation>
    </message>
    <message>
        <source>Cannot save the project %1: %2</source>
        <translation>프로젝트 %1을(를) 저장할 수 없습니다: %2</translation>
    </message>
    <message>
        <source>the file could not be written completely (is the disk full?)</source>
        <translation>파일을 끝까지 쓰지 못했습니다 (디스크가 가득 찼나요?)</translation>
    </message>
    <message>
        <source>it has no manifest (%1)</source>
        <translation>매니페스트가 없습니다 (%1)</translation>
    </message>
    <message>
        <source>the manifest has %1 bytes (the limit is %2)</source>
        <translation>매니페스트가 %1바이트입니다 (제한은 %2)</translation>
    </message>
    <message>
        <source>the manifest says format %1, the container format %2</source>
        <translation>매니페스트의 형식은 %1인데 컨테이너 형식은 %2입니다</translation>
    </message>
    <message>
        <source>Cannot open the project %1: %2</source>
        <translation>프로젝트 %1을(를) 열 수 없습니다: %2</translation>
    </message>
    <message>
        <source>%1 cannot be opened: it has %2 bytes, more than a project can hold</source>
        <translation>%1을(를) 열 수 없습니다: %2바이트로, 프로젝트가 담을 수 있는 크기보다 큽니다</translation>
    </message>
    <message>
        <source>Cannot read the project %1: %2</source>
        <translation>프로젝트 %1을(를) 읽을 수 없습니다: %2</translation>
    </message>
    <message>
        <source>its pictures add up to more than %1 megapixels (%2 GiB in memory), the limit of a project</source>
        <translation>그림을 모두 합하면 프로젝트 한도인 %1메가픽셀(메모리 %2GiB)을 넘습니다</translation>
    </message>
    <message>
        <source>%1: picture_size must be [width, height] in pixels</source>
        <translation>%1: picture_size는 픽셀 단위의 [너비, 높이]여야 합니다</translation>
    </message>
    <message>
        <source>%1: %2 results with %3 frames in all, more than the %4 pictures a project holds</source>
        <translation>%1: 결과 %2개에 프레임이 모두 %3개로, 프로젝트가 담는 그림 %4개보다 많습니다</translation>
    </message>
</context>
<context>
    <name>studio::SaveName</name>
    <message>
        <source>Replace the file?</source>
        <translation>파일을 바꿀까요?</translation>
    </message>
    <message>
        <source>%1 already exists. Replace it?</source>
        <translation>%1이(가) 이미 있습니다. 바꿀까요?</translation>
    </message>
</context>
<context>
    <name>studio::VideoPlayer</name>
    <message>
        <source>The result plays here.
Load a first frame and a model, then press Generate (Ctrl+Return).</source>
        <translation>결과가 여기에서 재생됩니다.
첫 프레임과 모델을 불러온 뒤 생성(Ctrl+Return)을 누르세요.</translation>
    </message>
    <message>
        <source>Previous frame (,)</source>
        <translation>이전 프레임 (,)</translation>
    </message>
    <message>
        <source>Play / pause (Space)</source>
        <translation>재생 / 일시 정지 (Space)</translation>
    </message>
    <message>
        <source>Next frame (.)</source>
        <translation>다음 프레임 (.)</translation>
    </message>
    <message>
        <source>Loop</source>
        <translation>반복</translation>
    </message>
    <message>
        <source>Drag to scrub through the frames</source>
        <translation>드래그해서 프레임 탐색</translation>
    </message>
    <message>
        <source>Playback speed</source>
        <translation>재생 속도</translation>
    </message>
    <message>
        <source>the video could not be played: %1</source>
        <translation>영상을 재생할 수 없습니다: %1</translation>
    </message>
    <message>
        <source>no video file</source>
        <translation>영상 파일 없음</translation>
    </message>
    <message>
        <source>%1 / %2</source>
        <translation>%1 / %2</translation>
    </message>
    <message>
        <source>the video did not start within %1 s</source>
        <translation>동영상이 %1초 안에 시작되지 않았습니다</translation>
    </message>
</context>
<context>
    <name>studio::camera</name>
    <message>
        <source>Linear</source>
        <translation>선형</translation>
    </message>
    <message>
        <source>Ease in</source>
        <translation>이즈 인</translation>
    </message>
    <message>
        <source>Ease out</source>
        <translation>이즈 아웃</translation>
    </message>
    <message>
        <source>Ease in-out</source>
        <translation>이즈 인-아웃</translation>
    </message>
    <message>
        <source>Hold</source>
        <translation>유지</translation>
    </message>
    <message>
        <source>Custom curve</source>
        <translation>사용자 곡선</translation>
    </message>
</context>
</TS>
