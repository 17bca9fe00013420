using Kindred.Core.Inner;

namespace Kindred.Core.Life;

/// <summary>
/// What the switch means, in one place for every host (the grain, <c>kindred chat</c>'s /on and /off, <c>kindred
/// on</c> and <c>off</c>): off, nothing is heard, kept or sent; back on, she says how long she was off, and that is
/// remembered as her turn like anything else she says.
/// </summary>
public static class Switching
{
    /// <summary>Switches her back on; what she says is stored in <paramref name="sessionId"/> and returned (null when she was on).</summary>
    public static async Task<string?> OnAsync(InnerLife inner, ICompanionStore store, string companionId, string sessionId, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(time);
        var said = await inner.SwitchOnAsync(companionId, cancellationToken).ConfigureAwait(false);
        if (said is not null && await store.FindCompanionAsync(companionId, cancellationToken).ConfigureAwait(false) is not null)
        {
            await store.AppendTurnAsync(new NewTurn(companionId, sessionId, Speaker.Companion, said, time.GetUtcNow()), cancellationToken).ConfigureAwait(false);
        }

        return said;
    }

    /// <summary>Switches her off: from now nothing is heard, kept or sent.</summary>
    public static Task OffAsync(InnerLife inner, string companionId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(inner);
        return inner.SwitchOffAsync(companionId, cancellationToken);
    }
}
