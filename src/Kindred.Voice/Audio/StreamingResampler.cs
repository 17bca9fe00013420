namespace Kindred.Voice.Audio;

/// <summary>
/// The same band-limited resampling as <see cref="Resampler"/>, over a stream that arrives in pieces of any length:
/// each output sample is computed once all the input its filter reaches has arrived, so piece boundaries leave no
/// seams and no samples are lost or repeated. Output lags input by the filter's half width (about 1 ms).
/// </summary>
public sealed class StreamingResampler
{
    private const int HalfTaps = 16;
    private readonly double _ratio;
    private readonly double _cutoff;
    private readonly double _halfWidth;
    private readonly List<short> _input = [];
    private long _inputBase;
    private long _nextOutput;

    /// <param name="fromRate">The rate audio arrives at.</param>
    /// <param name="toRate">The rate wanted.</param>
    public StreamingResampler(int fromRate, int toRate)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(fromRate);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(toRate);
        (FromRate, ToRate) = (fromRate, toRate);
        _ratio = (double)toRate / fromRate;
        _cutoff = Math.Min(1.0, _ratio);
        _halfWidth = HalfTaps / _cutoff;
    }

    public int FromRate { get; }

    public int ToRate { get; }

    /// <summary>Adds the next piece of input and returns the output it completes (the input itself when the rates match).</summary>
    public short[] Push(ReadOnlySpan<short> samples)
    {
        if (FromRate == ToRate)
        {
            return samples.ToArray();
        }

        _input.AddRange(samples);
        var available = _inputBase + _input.Count;
        var output = new List<short>((int)(samples.Length * _ratio) + 1);
        while (true)
        {
            var centre = _nextOutput / _ratio;
            var last = (long)Math.Floor(centre + _halfWidth);
            if (last >= available)
            {
                break;
            }

            output.Add(Sample(centre, (long)Math.Ceiling(centre - _halfWidth), last));
            _nextOutput++;
        }

        // Keep only the input the next output sample's filter can still reach.
        var keepFrom = (long)Math.Ceiling((_nextOutput / _ratio) - _halfWidth);
        var drop = (int)Math.Clamp(keepFrom - _inputBase, 0, _input.Count);
        _input.RemoveRange(0, drop);
        _inputBase += drop;
        return [.. output];
    }

    private short Sample(double centre, long first, long last)
    {
        double sum = 0, weights = 0;
        for (var j = Math.Max(first, _inputBase); j <= last; j++)
        {
            var x = j - centre;
            var weight = _cutoff * Sinc(_cutoff * x) * Blackman(x / _halfWidth);
            sum += weight * _input[(int)(j - _inputBase)];
            weights += weight;
        }

        return (short)Math.Clamp(Math.Round(weights == 0 ? 0 : sum / weights), short.MinValue, short.MaxValue);
    }

    private static double Sinc(double x) => Math.Abs(x) < 1e-9 ? 1.0 : Math.Sin(Math.PI * x) / (Math.PI * x);

    private static double Blackman(double t) =>
        Math.Abs(t) >= 1 ? 0 : 0.42 + (0.5 * Math.Cos(Math.PI * t)) + (0.08 * Math.Cos(2 * Math.PI * t));
}
