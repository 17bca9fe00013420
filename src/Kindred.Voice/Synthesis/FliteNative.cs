using System.Runtime.InteropServices;

namespace Kindred.Voice.Synthesis;

// flite 2.2 from Debian's libflite1 (BSD-style licence, so it may run in-process). Each voice lives in its own
// library and is registered by a function named after it.
internal static unsafe partial class FliteNative
{
    private const string Library = "libflite.so.1";

    [LibraryImport(Library, EntryPoint = "flite_init")]
    internal static partial int Init();

    [LibraryImport(Library, EntryPoint = "flite_text_to_wave", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial Wave* TextToWave(string text, IntPtr voice);

    [LibraryImport(Library, EntryPoint = "delete_wave")]
    internal static partial void DeleteWave(Wave* wave);

    // flite draws the noise that excites unvoiced sounds from the C library's rand(), one process-wide sequence.
    [LibraryImport("libc.so.6", EntryPoint = "srand")]
    internal static partial void SeedRandom(uint seed);

    // cst_wave from cst_wave.h.
    [StructLayout(LayoutKind.Sequential)]
    internal struct Wave
    {
        public IntPtr Type;
        public int SampleRate;
        public int NumSamples;
        public int NumChannels;
        public short* Samples;
    }
}
