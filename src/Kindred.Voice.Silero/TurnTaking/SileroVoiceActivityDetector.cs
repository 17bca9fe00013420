using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Kindred.Voice.TurnTaking;

/// <summary>
/// Silero VAD (v5 ONNX model, MIT) through ONNX Runtime, used when its model file is present: far better than the
/// energy detector at telling speech from noise, music or a television. The model takes 512-sample frames at 16 kHz
/// preceded by the last 64 samples of the previous frame, and carries a recurrent state from frame to frame.
/// </summary>
public sealed class SileroVoiceActivityDetector : IVoiceActivityDetector
{
    /// <summary>The model's usual file name.</summary>
    public const string ModelFileName = "silero_vad.onnx";

    private const int Context = 64;
    private readonly InferenceSession _session;
    private readonly float[] _input = new float[Context + 512];
    private float[] _state = new float[2 * 128];

    public SileroVoiceActivityDetector(string modelPath)
    {
        if (!File.Exists(modelPath))
        {
            throw new VoiceEngineException($"The Silero VAD model '{modelPath}' does not exist.");
        }

        try
        {
            _session = new InferenceSession(modelPath, new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1 });
        }
        catch (OnnxRuntimeException ex)
        {
            throw new VoiceEngineException($"'{modelPath}' is not a usable ONNX model: {ex.Message}", ex);
        }

        var inputs = _session.InputMetadata.Keys.ToHashSet(StringComparer.Ordinal);
        if (!inputs.SetEquals(["input", "state", "sr"]))
        {
            _session.Dispose();
            throw new VoiceEngineException($"'{modelPath}' is not a Silero VAD v5 model (its inputs are {string.Join(", ", inputs)}; expected input, state, sr).");
        }
    }

    public int FrameSamples => 512;

    /// <summary>Uses the Silero model in <paramref name="directory"/> when there is one, else the energy detector.</summary>
    public static IVoiceActivityDetector CreateBest(string? directory) =>
        directory is not null && File.Exists(Path.Combine(directory, ModelFileName))
            ? new SileroVoiceActivityDetector(Path.Combine(directory, ModelFileName))
            : new EnergyVoiceActivityDetector();

    public float SpeechProbability(ReadOnlySpan<short> frame)
    {
        if (frame.Length != FrameSamples)
        {
            throw new ArgumentException($"Silero VAD takes frames of exactly {FrameSamples} samples.", nameof(frame));
        }

        Array.Copy(_input, _input.Length - Context, _input, 0, Context);
        for (var i = 0; i < frame.Length; i++)
        {
            _input[Context + i] = frame[i] / 32768f;
        }

        using var inputs = new DisposableList<NamedOnnxValue>
        {
            NamedOnnxValue.CreateFromTensor("input", new DenseTensor<float>(_input, [1, _input.Length])),
            NamedOnnxValue.CreateFromTensor("state", new DenseTensor<float>(_state, [2, 1, 128])),
            NamedOnnxValue.CreateFromTensor("sr", new DenseTensor<long>(new long[] { 16_000 }, [1])),
        };
        using var results = _session.Run(inputs);
        var probability = results.First(r => r.Name == "output").AsEnumerable<float>().First();
        _state = results.First(r => r.Name == "stateN").AsEnumerable<float>().ToArray();
        return probability;
    }

    public void Reset()
    {
        Array.Clear(_input);
        _state = new float[2 * 128];
    }

    public void Dispose() => _session.Dispose();

    private sealed class DisposableList<T> : List<T>, IDisposable
    {
        public void Dispose()
        {
            foreach (var item in this)
            {
                (item as IDisposable)?.Dispose();
            }
        }
    }
}
