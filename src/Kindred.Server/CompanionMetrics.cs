using System.Diagnostics.Metrics;
using Kindred.Models.Local;

namespace Kindred.Server;

/// <summary>
/// The server's metrics (meter "Kindred.Server"): turn latency, time to first token, tokens, refusals, active
/// companions and the model's queue depth. Any OpenTelemetry or dotnet-counters listener can collect them.
/// </summary>
internal sealed class CompanionMetrics : IDisposable
{
    public const string MeterName = "Kindred.Server";

    private readonly Meter _meter;
    private readonly Histogram<double> _turnSeconds;
    private readonly Histogram<double> _firstTokenSeconds;
    private readonly Counter<long> _tokens;
    private readonly Counter<long> _refused;
    private readonly UpDownCounter<long> _active;

    public CompanionMetrics(IMeterFactory meters, CompanionBackend backend)
    {
        _meter = meters.Create(MeterName);
        _turnSeconds = _meter.CreateHistogram<double>("kindred.turn.duration", "s", "Time from a person's turn to the end of the reply.");
        _firstTokenSeconds = _meter.CreateHistogram<double>("kindred.turn.time_to_first_token", "s", "Time from a person's turn to the first token of the reply.");
        _tokens = _meter.CreateCounter<long>("kindred.tokens", "{token}", "Reply text pieces streamed to people.");
        _refused = _meter.CreateCounter<long>("kindred.turns.refused", "{turn}", "Turns refused because the model's queue was full.");
        _active = _meter.CreateUpDownCounter<long>("kindred.companions.active", "{companion}", "Companions active on this silo.");
        if (backend.Scheduler is { } scheduler)
        {
            _meter.CreateObservableGauge("kindred.model.queue_depth", () => scheduler.QueuedCount, "{request}", "Requests waiting for a free sequence.");
            _meter.CreateObservableGauge("kindred.model.active_sequences", () => scheduler.ActiveCount, "{sequence}", "Sequences generating now.");
        }
    }

    public void Activated() => _active.Add(1);

    public void Deactivated() => _active.Add(-1);

    public void Refused() => _refused.Add(1);

    public void Token() => _tokens.Add(1);

    public void FirstToken(TimeSpan elapsed) => _firstTokenSeconds.Record(elapsed.TotalSeconds);

    public void TurnCompleted(TimeSpan elapsed) => _turnSeconds.Record(elapsed.TotalSeconds);

    public void Dispose() => _meter.Dispose();
}
