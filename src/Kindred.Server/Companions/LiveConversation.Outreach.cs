using Kindred.Server.Contracts;

namespace Kindred.Server.Companions;

/// <summary>The live conversation's part in outreach: it hears what the companion's grain says unprompted.</summary>
internal sealed partial class LiveConversation
{
    /// <summary>
    /// The conversation subscribed to its companion's outreach, as an Orleans observer (the grain may live on another
    /// silo), renewed every third of <see cref="ServerOptions.CompanionIdleMinutes"/>: a grain that reactivated learns of
    /// it again, one that did not is kept alive (observers alone do not), and one whose silo went away sees it lapse.
    /// Disposing unsubscribes.
    /// </summary>
    private sealed class OutreachSubscription : IAsyncDisposable
    {
        private readonly LiveConversation _conversation;

        // The observer reference holds its object weakly: this keeps it alive while subscribed.
        private readonly Ear _ear;
        private readonly IOutreachListener _reference;
        private readonly CancellationTokenSource _stop = new();
        private Task _renewing = Task.CompletedTask;

        private OutreachSubscription(LiveConversation conversation)
        {
            _conversation = conversation;
            _ear = new Ear(conversation);
            _reference = conversation._grains.CreateObjectReference<IOutreachListener>(_ear);
        }

        public static async Task<OutreachSubscription> StartAsync(LiveConversation conversation)
        {
            var subscription = new OutreachSubscription(conversation);
            try
            {
                await subscription.ConnectAsync().ConfigureAwait(false);
            }
            catch
            {
                conversation._grains.DeleteObjectReference<IOutreachListener>(subscription._reference);
                subscription._stop.Dispose();
                throw;
            }

            subscription._renewing = subscription.RenewAsync(TimeSpan.FromMinutes(conversation._options.CompanionIdleMinutes) / 3);
            return subscription;
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync().ConfigureAwait(false);
            await _renewing.ConfigureAwait(false);
            try
            {
                await _conversation._grain.DisconnectOutreachAsync(_conversation._sessionId).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OrleansException or TimeoutException)
            {
                // The grain's silo is gone; the subscription lapses with it.
            }

            _conversation._grains.DeleteObjectReference<IOutreachListener>(_reference);
            _stop.Dispose();
        }

        private Task<bool> ConnectAsync() => _conversation._grain.ConnectOutreachAsync(_reference, _conversation._sessionId, _conversation._private);

        private async Task RenewAsync(TimeSpan period)
        {
            // Real time, not the companions' clock: this is about the connection, not about when things are due.
            using var timer = new PeriodicTimer(period, TimeProvider.System);
            try
            {
                while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false))
                {
                    try
                    {
                        if (await ConnectAsync().ConfigureAwait(false))
                        {
                            // A new activation: what is due is said now, and its timer armed.
                            await _conversation._grain.WakeOutreachAsync().ConfigureAwait(false);
                        }
                    }
                    catch (Exception ex) when (ex is OrleansException or TimeoutException)
                    {
                        // Tried again at the next renewal.
                    }
                }
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                // Unsubscribing.
            }
        }
    }

    private sealed class Ear(LiveConversation conversation) : IOutreachListener
    {
        public Task<bool> HearAsync(long outreachId, string words) => conversation.SendOutreachAsync(outreachId, words);
    }
}
