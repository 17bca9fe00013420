namespace Kindred.Memory.Vectors;

/// <summary>
/// The k best (score, slot) pairs seen so far, as a min-heap whose root is the worst kept: a candidate costs one
/// comparison unless it beats that root, so a scan stays O(n) plus O(log k) per improvement.
/// </summary>
internal struct TopK
{
    private readonly float[] _scores;
    private readonly int[] _slots;
    private int _count;

    public TopK(int k)
    {
        _scores = new float[k];
        _slots = new int[k];
    }

    public readonly int Count => _count;

    /// <summary>The score a candidate must beat once full; -infinity before.</summary>
    public readonly float Threshold => _count == _scores.Length ? _scores[0] : float.NegativeInfinity;

    public void Offer(float score, int slot)
    {
        if (_count < _scores.Length)
        {
            var i = _count++;
            while (i > 0)
            {
                var parent = (i - 1) >> 1;
                if (_scores[parent] <= score)
                {
                    break;
                }

                _scores[i] = _scores[parent];
                _slots[i] = _slots[parent];
                i = parent;
            }

            _scores[i] = score;
            _slots[i] = slot;
        }
        else if (_count > 0 && score > _scores[0])
        {
            SiftDown(score, slot);
        }
    }

    public readonly (float Score, int Slot) this[int i] => (_scores[i], _slots[i]);

    private readonly void SiftDown(float score, int slot)
    {
        var i = 0;
        while (true)
        {
            var child = (2 * i) + 1;
            if (child >= _count)
            {
                break;
            }

            if (child + 1 < _count && _scores[child + 1] < _scores[child])
            {
                child++;
            }

            if (_scores[child] >= score)
            {
                break;
            }

            _scores[i] = _scores[child];
            _slots[i] = _slots[child];
            i = child;
        }

        _scores[i] = score;
        _slots[i] = slot;
    }
}
