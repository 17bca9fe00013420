using Kindred.Voice.TurnTaking;

namespace Kindred.Voice.Silero.Tests.TurnTaking;

// The Silero model is not available offline, so these prove the fallback and the checks in front of ONNX Runtime.
public sealed class SileroVoiceActivityDetectorTests
{
    [Fact]
    public void A_missing_silero_model_falls_back_to_the_energy_detector()
    {
        using var detector = SileroVoiceActivityDetector.CreateBest(Path.GetTempPath());

        Assert.IsType<EnergyVoiceActivityDetector>(detector);
    }

    [Fact]
    public void A_missing_model_file_is_named_in_the_error()
    {
        var path = Path.Combine(Path.GetTempPath(), $"kindred-no-such-vad-{Guid.NewGuid():N}.onnx");

        var error = Assert.Throws<VoiceEngineException>(() => new SileroVoiceActivityDetector(path));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_that_is_not_an_onnx_model_is_refused_with_a_voice_error()
    {
        var path = Path.Combine(Path.GetTempPath(), $"kindred-not-onnx-{Guid.NewGuid():N}.onnx");
        File.WriteAllText(path, "not a model");
        try
        {
            var error = Assert.Throws<VoiceEngineException>(() => new SileroVoiceActivityDetector(path));

            Assert.Contains("not a usable ONNX model", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
