using Kindred.Core;

namespace Kindred.Models.Local;

/// <summary>A place among the scheduler's waiting requests, taken before the generation is asked for.</summary>
public sealed class SchedulerSeat : ModelSeat
{
    private readonly BatchScheduler _scheduler;
    private int _state; // 0 held, 1 used by a generation, 2 given back

    internal SchedulerSeat(BatchScheduler scheduler) => _scheduler = scheduler;

    /// <summary>Hands the seat to a generation; false when it was already used or given back.</summary>
    internal bool Use() => Interlocked.CompareExchange(ref _state, 1, 0) == 0;

    protected override void Release()
    {
        if (Interlocked.CompareExchange(ref _state, 2, 0) == 0)
        {
            _scheduler.ReturnSeat();
        }
    }
}
