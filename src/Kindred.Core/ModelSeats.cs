using Microsoft.Extensions.AI;

namespace Kindred.Core;

/// <summary>
/// A model that serves a bounded number of conversations at once (an embedded model's batch and queue) lets a turn take
/// its seat before anything is stored, so a turn the model cannot take is refused whole instead of stored and then
/// taken back. Reached through <see cref="IChatClient.GetService"/>; a model without one (a remote server) never refuses.
/// </summary>
public interface IModelSeats
{
    /// <summary>Takes a seat for one generation, or returns null when every seat and the queue are taken.</summary>
    ModelSeat? TryTake();
}

/// <summary>
/// One generation's place at a model, taken before the turn is stored. Hand it to the request in
/// <see cref="ChatOptions.AdditionalProperties"/> under <see cref="OptionKey"/>; disposing a seat no request used gives it back.
/// </summary>
public abstract class ModelSeat : IDisposable
{
    /// <summary>The key a seat travels under in <see cref="ChatOptions.AdditionalProperties"/>.</summary>
    public const string OptionKey = "kindred.seat";

    /// <summary>Takes a seat at <paramref name="chat"/> when it has seats to give.</summary>
    /// <returns>The seat, or null when the model does not count seats.</returns>
    /// <exception cref="ModelBusyException">The model has no seat free and its queue is full.</exception>
    public static ModelSeat? Take(IChatClient chat)
    {
        ArgumentNullException.ThrowIfNull(chat);
        return chat.GetService<IModelSeats>() is { } seats
            ? seats.TryTake() ?? throw new ModelBusyException()
            : null;
    }

    /// <summary>Puts the seat in the options of the request that uses it.</summary>
    public static void Attach(ModelSeat? seat, ChatOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (seat is not null)
        {
            (options.AdditionalProperties ??= [])[OptionKey] = seat;
        }
    }

    /// <summary>The seat a request's options carry, if any.</summary>
    public static ModelSeat? Of(ChatOptions? options) =>
        options?.AdditionalProperties?.TryGetValue(OptionKey, out var seat) == true ? seat as ModelSeat : null;

    public void Dispose()
    {
        Release();
        GC.SuppressFinalize(this);
    }

    /// <summary>Gives the seat back unless a request has used it (then the request gives it back when it ends).</summary>
    protected abstract void Release();
}

/// <summary>The model cannot take another conversation now: every seat is busy and its queue is full. Try again shortly.</summary>
public class ModelBusyException : Exception
{
    public ModelBusyException()
        : base("The model is busy with other conversations; try again in a moment.")
    {
    }

    public ModelBusyException(string message)
        : base(message)
    {
    }

    public ModelBusyException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
