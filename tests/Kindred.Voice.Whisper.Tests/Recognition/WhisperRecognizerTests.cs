using Kindred.Voice.Recognition;

namespace Kindred.Voice.Whisper.Tests.Recognition;

// No Whisper model is available offline, so these prove the checks in front of whisper.cpp; recognition itself is
// exercised by hand with a pulled model (docs/voice.md).
public sealed class WhisperRecognizerTests
{
    [Fact]
    public void A_missing_model_says_how_to_download_one()
    {
        var error = Assert.Throws<VoiceEngineException>(() => new WhisperRecognizer(Path.Combine(Path.GetTempPath(), "no-such-model.bin")));

        Assert.Contains("kindred model pull whisper-base.en", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_that_is_not_a_ggml_model_is_refused_before_whisper_cpp_sees_it()
    {
        var path = Path.Combine(Path.GetTempPath(), $"kindred-not-ggml-{Guid.NewGuid():N}.bin");
        File.WriteAllText(path, "GGUF but not really a whisper model");
        try
        {
            var error = Assert.Throws<VoiceEngineException>(() => new WhisperRecognizer(path));

            Assert.Contains("not a ggml Whisper model", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
