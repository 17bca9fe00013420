namespace Kindred.Core.Inner;

/// <summary>How a companion's inner life runs.</summary>
public sealed class InnerLifeOptions
{
    /// <summary>
    /// Ask the chat model to appraise each turn and to reflect (default false until an intermittent stall of the embedded
    /// single-sequence scheduler on a second call per turn is fixed; turn it on for a remote or capable model). Off, or
    /// when the model's answer does not validate, the built-in lexicon appraises instead.
    /// </summary>
    public bool AppraiseWithModel { get; set; }

    /// <summary>How long the model may take to appraise a turn before the lexicon answers instead (default 15 s).</summary>
    public TimeSpan AppraisalTimeBudget { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>The person's time zone until they set one (default: this machine's).</summary>
    public string TimeZoneId { get; set; } = TimeZoneInfo.Local.Id;

    /// <summary>How far back the emotional timeline looks for the prompt (default 7 days).</summary>
    public TimeSpan TimelineWindow { get; set; } = TimeSpan.FromDays(7);
}

/// <summary>Thrown when a turn is offered to a companion that is switched off: nothing was processed or stored.</summary>
public sealed class CompanionSwitchedOffException : InvalidOperationException
{
    public CompanionSwitchedOffException()
        : base("The companion is switched off: nothing is heard, remembered or sent until it is switched back on.")
    {
    }

    public CompanionSwitchedOffException(string message)
        : base(message)
    {
    }

    public CompanionSwitchedOffException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
