using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using LLama;
using LLama.Native;

namespace Kindred.Models.Local;

/// <summary>
/// Continuous batching over one loaded model: every running conversation is a sequence in one shared batch, and
/// each decode step gives each of them one token. A new conversation joins the running batch at the next step;
/// prompts are prefilled in chunks from what the batch has left, so no one waits for another's long prompt.
/// At most <see cref="LocalModelOptions.MaxConcurrentSequences"/> run at once; the rest wait in a bounded queue.
/// </summary>
/// <remarks>
/// All native calls happen on one dedicated thread: hopping between pool threads for each decode (as
/// BatchedExecutor does) costs a fifth to two fifths of the throughput on small machines.
/// </remarks>
public sealed partial class BatchScheduler : IDisposable
{
    private readonly LLamaContext _context;
    private readonly LLamaWeights _weights;
    private readonly int _sequenceContext;
    private readonly int _batchSize;
    private readonly int _maxQueued;
    private readonly ConcurrentQueue<Sequence> _waiting = new();
    private readonly SemaphoreSlim _wake = new(0);
    private readonly Stack<int> _freeSequenceIds;
    private readonly List<Sequence> _active = [];
    private readonly LLamaBatch _batch = new();
    private readonly Thread _thread;
    private readonly CancellationTokenSource _shutdown = new();
    private int _waitingCount;
    private int _activeCount;

    // Free sequences absorb that many waiting requests at once; only the rest count against the queue bound.
    private int _freeSequencesHint;
    private int _prefillCursor;

    internal BatchScheduler(LLamaWeights weights, LLamaContext context, int sequenceContext, int maxSequences, int batchSize, int maxQueued)
    {
        _weights = weights;
        _context = context;
        _sequenceContext = sequenceContext;
        _batchSize = batchSize;
        _maxQueued = maxQueued;
        _freeSequenceIds = new Stack<int>(Enumerable.Range(0, maxSequences).Reverse());
        _thread = new Thread(Run) { IsBackground = true, Name = "kindred-decode" };
        _thread.Start();
    }

    /// <summary>Sequences generating now.</summary>
    public int ActiveCount => Volatile.Read(ref _activeCount);

    /// <summary>Requests waiting for a free sequence.</summary>
    public int QueuedCount => Volatile.Read(ref _waitingCount);

    /// <summary>
    /// Generates from <paramref name="prompt"/>, streaming text as it is decoded. Cancelling stops this
    /// conversation within one decode step and frees its sequence for the next.
    /// </summary>
    /// <exception cref="SchedulerBusyException">The queue is full.</exception>
    /// <exception cref="ArgumentException">The prompt does not fit the conversation's context.</exception>
    public IAsyncEnumerable<string> GenerateAsync(
        IReadOnlyList<LLamaToken> prompt,
        GenerationSettings settings,
        GenerationStats? stats = null,
        CancellationToken cancellationToken = default) =>
        GenerateAsync(prompt, settings, stats, seat: null, cancellationToken);

    /// <summary>
    /// As <see cref="GenerateAsync(IReadOnlyList{LLamaToken}, GenerationSettings, GenerationStats?, CancellationToken)"/>,
    /// in a seat taken beforehand with <see cref="TryTakeSeat"/> (null: counted now, and refused if the queue is full).
    /// </summary>
    /// <exception cref="SchedulerBusyException">No seat was given and the queue is full.</exception>
    public async IAsyncEnumerable<string> GenerateAsync(
        IReadOnlyList<LLamaToken> prompt,
        GenerationSettings settings,
        GenerationStats? stats,
        SchedulerSeat? seat,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        ArgumentNullException.ThrowIfNull(settings);
        ObjectDisposedException.ThrowIf(_shutdown.IsCancellationRequested, this);
        if (prompt.Count == 0)
        {
            throw new ArgumentException("The prompt is empty.", nameof(prompt));
        }

        if (prompt.Count >= _sequenceContext)
        {
            throw new ArgumentException($"The prompt takes {prompt.Count} tokens but a conversation's context holds {_sequenceContext}.", nameof(prompt));
        }

        // A request that took its seat beforehand is already counted among the waiting.
        if (seat?.Use() != true && !TryCountWaiting())
        {
            throw new SchedulerBusyException();
        }

        // A caller who stops reading without cancelling (break, dispose) must free the sequence too.
        using var abandon = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var sequence = new Sequence([.. prompt], settings, stats ?? new GenerationStats(), abandon.Token);
        sequence.Stats.PromptTokens = prompt.Count;
        using var registration = abandon.Token.UnsafeRegister(static s => ((SemaphoreSlim)s!).Release(), _wake);
        _waiting.Enqueue(sequence);
        _wake.Release();
        try
        {
            await foreach (var text in sequence.Output.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                // Text already decoded but not yet read must not reach a caller who has stopped listening.
                cancellationToken.ThrowIfCancellationRequested();
                yield return text;
            }

            // ReadAllAsync ends quietly on completion; a cancelled or failed sequence completes its channel with the cause.
            await sequence.Output.Reader.Completion.ConfigureAwait(false);
        }
        finally
        {
            if (!sequence.Output.Reader.Completion.IsCompleted)
            {
                await abandon.CancelAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Takes a place among the waiting requests for a generation that is about to be asked for, so a caller learns the
    /// model is full before it does anything it would have to undo; null when the queue is full.
    /// </summary>
    public SchedulerSeat? TryTakeSeat() => TryCountWaiting() ? new SchedulerSeat(this) : null;

    internal void ReturnSeat() => Interlocked.Decrement(ref _waitingCount);

    private bool TryCountWaiting()
    {
        if (Interlocked.Increment(ref _waitingCount) > _maxQueued + Volatile.Read(ref _freeSequencesHint))
        {
            Interlocked.Decrement(ref _waitingCount);
            return false;
        }

        return true;
    }

    public void Dispose()
    {
        if (_shutdown.IsCancellationRequested)
        {
            return;
        }

        _shutdown.Cancel();
        _wake.Release();
        _thread.Join();

        // _wake stays undisposed: a late cancellation callback may still release it, harmlessly.
        _shutdown.Dispose();
    }

    private void Run()
    {
        Volatile.Write(ref _freeSequencesHint, _freeSequenceIds.Count);
        while (!_shutdown.IsCancellationRequested)
        {
            try
            {
                Admit();
                DropCancelled();
                if (_active.Count == 0)
                {
                    _wake.Wait(_shutdown.Token);
                    continue;
                }

                Step();
            }
            catch (OperationCanceledException) when (_shutdown.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                // A native failure ends the conversations it touched, never the scheduler.
                FailAll(ex);
            }
        }

        FailAll(new ObjectDisposedException(nameof(BatchScheduler)));
        while (_waiting.TryDequeue(out var sequence))
        {
            sequence.Output.Writer.TryComplete(new ObjectDisposedException(nameof(BatchScheduler)));
        }
    }

    private void Admit()
    {
        while (_freeSequenceIds.Count > 0 && _waiting.TryDequeue(out var sequence))
        {
            Interlocked.Decrement(ref _waitingCount);
            if (sequence.Cancellation.IsCancellationRequested)
            {
                sequence.Output.Writer.TryComplete(new OperationCanceledException(sequence.Cancellation));
                continue;
            }

            sequence.Start((LLamaSeqId)_freeSequenceIds.Pop(), _weights);
            _context.NativeHandle.MemorySequenceRemove(sequence.Id, -1, -1);
            _active.Add(sequence);
        }

        Volatile.Write(ref _activeCount, _active.Count);
        Volatile.Write(ref _freeSequencesHint, _freeSequenceIds.Count);
    }

    private void DropCancelled()
    {
        for (var i = _active.Count - 1; i >= 0; i--)
        {
            var sequence = _active[i];
            if (sequence.Cancellation.IsCancellationRequested)
            {
                Release(i, new OperationCanceledException(sequence.Cancellation));
            }
        }
    }

    private void Step()
    {
        _batch.Clear();

        // Every sequence that is generating gets exactly one token per step.
        foreach (var sequence in _active)
        {
            sequence.LogitsIndex = -1;
            if (sequence.PromptDone)
            {
                sequence.LogitsIndex = _batch.Add(sequence.NextToken, sequence.Position++, sequence.Id, true);
            }
        }

        FillWithPrompts();

        var result = _context.NativeHandle.Decode(_batch);
        if (result != DecodeResult.Ok)
        {
            FailAll(new InvalidOperationException($"The model could not decode ({result})."));
            return;
        }

        var vocab = _weights.NativeHandle.Vocab;
        for (var i = _active.Count - 1; i >= 0; i--)
        {
            var sequence = _active[i];
            if (sequence.LogitsIndex < 0)
            {
                continue;
            }

            sequence.PromptDone = true;
            var token = sequence.Sampler!.Sample(_context.NativeHandle, sequence.LogitsIndex);
            var finish = sequence.Accept(token, vocab, _sequenceContext);
            if (finish != GenerationFinish.None)
            {
                sequence.Stats.Finish = finish;
                Release(i, error: null);
            }
        }
    }

    // Prompt chunks share what the batch has left after the generating sequences, round-robin so that many new
    // conversations arriving at once all make progress.
    private void FillWithPrompts()
    {
        var prefilling = _active.Where(s => !s.PromptDone).ToList();
        if (prefilling.Count == 0)
        {
            return;
        }

        var capacity = _batchSize - _batch.TokenCount;
        var share = Math.Max(1, capacity / prefilling.Count);
        for (var n = 0; n < prefilling.Count && capacity > 0; n++)
        {
            var sequence = prefilling[(_prefillCursor + n) % prefilling.Count];
            var take = Math.Min(Math.Min(share, capacity), sequence.Prompt.Length - sequence.Position);
            for (var k = 0; k < take; k++)
            {
                var position = sequence.Position++;
                var last = position == sequence.Prompt.Length - 1;
                var index = _batch.Add(sequence.Prompt[position], position, sequence.Id, last);
                if (last)
                {
                    sequence.LogitsIndex = index;
                }
            }

            capacity -= take;
        }

        _prefillCursor++;
    }

    private void Release(int activeIndex, Exception? error)
    {
        var sequence = _active[activeIndex];
        _active.RemoveAt(activeIndex);
        _context.NativeHandle.MemorySequenceRemove(sequence.Id, -1, -1);
        _freeSequenceIds.Push((int)sequence.Id);
        sequence.Finish(error);
        Volatile.Write(ref _activeCount, _active.Count);
        Volatile.Write(ref _freeSequencesHint, _freeSequenceIds.Count);
    }

    private void FailAll(Exception error)
    {
        for (var i = _active.Count - 1; i >= 0; i--)
        {
            Release(i, error);
        }
    }
}
