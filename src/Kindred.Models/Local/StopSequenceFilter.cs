using System.Text;

namespace Kindred.Models.Local;

/// <summary>
/// Streams generated text while watching for stop sequences. Text that might be the start of a stop sequence is
/// held back until it is known not to be, so a stop sequence never reaches the person, even in part.
/// </summary>
internal sealed class StopSequenceFilter
{
    private readonly string[] _stops;
    private readonly int _longestStop;
    private readonly StringBuilder _pending = new();

    public StopSequenceFilter(IEnumerable<string> stopSequences)
    {
        _stops = [.. stopSequences.Where(s => !string.IsNullOrEmpty(s)).Distinct(StringComparer.Ordinal)];
        _longestStop = _stops.Length == 0 ? 0 : _stops.Max(s => s.Length);
    }

    /// <summary>True once a stop sequence has been seen; nothing after it is ever released.</summary>
    public bool Stopped { get; private set; }

    /// <summary>Adds generated text; returns what can be shown now (possibly empty).</summary>
    public string Push(string text)
    {
        if (Stopped || text.Length == 0)
        {
            return "";
        }

        if (_stops.Length == 0)
        {
            return text;
        }

        _pending.Append(text);
        var buffered = _pending.ToString();
        var stopAt = FirstStop(buffered);
        if (stopAt >= 0)
        {
            Stopped = true;
            _pending.Clear();
            return buffered[..stopAt];
        }

        var safe = SafeLength(buffered);
        _pending.Remove(0, safe);
        return buffered[..safe];
    }

    /// <summary>Releases whatever is held back, at the end of generation.</summary>
    public string Flush()
    {
        var rest = Stopped ? "" : _pending.ToString();
        _pending.Clear();
        return rest;
    }

    private int FirstStop(string text)
    {
        var first = -1;
        foreach (var stop in _stops)
        {
            var at = text.IndexOf(stop, StringComparison.Ordinal);
            if (at >= 0 && (first < 0 || at < first))
            {
                first = at;
            }
        }

        return first;
    }

    // The longest prefix that cannot be the beginning of any stop sequence.
    private int SafeLength(string text)
    {
        for (var start = Math.Max(0, text.Length - _longestStop + 1); start < text.Length; start++)
        {
            var tail = text.AsSpan(start);
            foreach (var stop in _stops)
            {
                if (stop.AsSpan().StartsWith(tail, StringComparison.Ordinal))
                {
                    return start;
                }
            }
        }

        return text.Length;
    }
}
