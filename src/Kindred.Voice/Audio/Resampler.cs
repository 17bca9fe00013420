namespace Kindred.Voice.Audio;

/// <summary>
/// Band-limited resampling with a Blackman-windowed sinc. The recognisers need 16 kHz; the voices speak at 16, 22.05
/// or 32 kHz and browsers record at 44.1 or 48 kHz. Plain interpolation would fold everything above the new Nyquist
/// frequency back into the speech band, which costs recognition accuracy.
/// </summary>
internal static class Resampler
{
    private const int HalfTaps = 16;

    public static short[] Resample(short[] input, int fromRate, int toRate)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(fromRate);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(toRate);
        if (fromRate == toRate || input.Length == 0)
        {
            return (short[])input.Clone();
        }

        var ratio = (double)toRate / fromRate;
        var cutoff = Math.Min(1.0, ratio); // of the input's Nyquist frequency
        var halfWidth = HalfTaps / cutoff;
        var output = new short[(int)Math.Floor(input.Length * ratio)];
        for (var i = 0; i < output.Length; i++)
        {
            var centre = i / ratio;
            var first = (int)Math.Ceiling(centre - halfWidth);
            var last = (int)Math.Floor(centre + halfWidth);
            double sum = 0, weights = 0;
            for (var j = Math.Max(first, 0); j <= Math.Min(last, input.Length - 1); j++)
            {
                var x = j - centre;
                var weight = cutoff * Sinc(cutoff * x) * Blackman(x / halfWidth);
                sum += weight * input[j];
                weights += weight;
            }

            output[i] = (short)Math.Clamp(Math.Round(weights == 0 ? 0 : sum / weights), short.MinValue, short.MaxValue);
        }

        return output;
    }

    private static double Sinc(double x) => Math.Abs(x) < 1e-9 ? 1.0 : Math.Sin(Math.PI * x) / (Math.PI * x);

    // Window over [-1, 1].
    private static double Blackman(double t) =>
        Math.Abs(t) >= 1 ? 0 : 0.42 + (0.5 * Math.Cos(Math.PI * t)) + (0.08 * Math.Cos(2 * Math.PI * t));
}
