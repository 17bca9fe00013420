using Kindred.Models.Catalog;
using Kindred.Models.Gguf;
using Kindred.Models.Local;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Kindred.Cli;

/// <summary>Turns failures into one line a person can act on, and an exit code; never a stack trace.</summary>
internal static class CliErrors
{
    public const int Usage = 2;
    public const int Failure = 1;
    public const int Unexpected = 70;

    public static async Task<int> RunAsync(Func<Task<int>> run)
    {
        try
        {
            return await run();
        }
        catch (CommandAppException ex)
        {
            return Fail(ex.Message, Usage);
        }
        catch (Exception ex) when (ex is ModelFileException or ModelDownloadException or ArgumentException or KeyNotFoundException or SchedulerBusyException)
        {
            return Fail(ex.Message, Failure);
        }
        catch (Exception ex) when (ex is Kindred.Voice.Audio.AudioFormatException or Kindred.Voice.VoiceEngineException)
        {
            return Fail(ex.Message, Failure);
        }
        catch (InvalidOperationException ex)
        {
            return Fail(ex.Message, Failure);
        }
        catch (OperationCanceledException)
        {
            return Failure;
        }
        catch (Exception ex)
        {
            // The type names the failure for a bug report; the stack stays out of the person's terminal.
            return Fail($"unexpected {ex.GetType().Name}: {ex.Message}", Unexpected);
        }
    }

    private static int Fail(string message, int code)
    {
        var line = message.ReplaceLineEndings(" ").Trim();
        AnsiConsole.Console.Profile.Out.Writer.Flush();
        Console.Error.WriteLine($"kindred: {line}");
        return code;
    }
}
