using System.Diagnostics;
using System.Text;
using KMeansPS.Imaging.Jpeg;
using SixLabors.ImageSharp.PixelFormats;

namespace KMeansPS.Imaging.Tests.Jpeg;

/// <summary>
/// libjpeg-turbo's command-line tools (Debian package libjpeg-turbo-progs): cjpeg makes the JPEG variants ImageSharp
/// cannot (progressive, restart intervals, other samplings, grey, RGB), djpeg -dct int is the reference decoder.
/// A test that needs them fails when they are missing, saying how to install them.
/// </summary>
internal static class LibjpegTools
{
    /// <summary>Compresses <paramref name="image"/> (as PPM, or PGM when <paramref name="grey"/>) with cjpeg and the given options.</summary>
    public static byte[] Cjpeg(RgbaImage image, string options, bool grey = false)
    {
        using var folder = new TempFolder();
        string input = folder.File(grey ? "in.pgm" : "in.ppm"), output = folder.File("out.jpg");
        File.WriteAllBytes(input, Pnm(image, grey));
        Run("cjpeg", $"{options} -outfile {output} {input}", folder.Path);
        return File.ReadAllBytes(output);
    }

    /// <summary>Compresses with cjpeg and a scan script (cjpeg -scans).</summary>
    public static byte[] CjpegWithScans(RgbaImage image, string options, string scanScript)
    {
        using var folder = new TempFolder();
        string script = folder.File("scans.txt");
        File.WriteAllText(script, scanScript);
        return Cjpeg(image, $"{options} -scans {script}");
    }

    /// <summary>
    /// djpeg -dct int: the reference pixels as RGBA (grey output spread to R, G and B). With
    /// <paramref name="cCode"/>, libjpeg-turbo's SIMD code is turned off (JSIMD_FORCENONE=1), leaving its C code,
    /// which is libjpeg's definition of the algorithms.
    /// </summary>
    public static Rgba32[] Djpeg(byte[] jpeg, out int width, out int height, bool cCode = false)
    {
        using var folder = new TempFolder();
        string input = folder.File("in.jpg"), output = folder.File("out.pnm");
        File.WriteAllBytes(input, jpeg);
        Run("djpeg", $"-dct int -pnm -outfile {output} {input}", folder.Path, cCode ? ("JSIMD_FORCENONE", "1") : null);
        return ReadPnm(File.ReadAllBytes(output), out width, out height);
    }

    /// <summary>djpeg's exit code and what it wrote to stderr (its warnings: exit code 2), the pixels dropped.</summary>
    public static (int ExitCode, string Errors) DjpegMessages(byte[] jpeg)
    {
        using var folder = new TempFolder();
        string input = folder.File("in.jpg");
        File.WriteAllBytes(input, jpeg);
        int exitCode = Run("djpeg", $"-dct int -pnm -outfile /dev/null {input}", folder.Path, mayFail: true);
        string errors = folder.File("stderr.txt");
        return (exitCode, File.Exists(errors) ? File.ReadAllText(errors) : "");
    }

    /// <summary>
    /// djpeg -dct int as it ends: its exit code (0, 2 after warnings, 1 after an error), what it wrote to stderr, and
    /// the pixels it wrote (null after an error). With <paramref name="cCode"/>, its SIMD code is turned off.
    /// </summary>
    public static (int ExitCode, string Errors, Rgba32[]? Pixels) DjpegOutcome(byte[] jpeg, bool cCode = false)
    {
        using var folder = new TempFolder();
        string input = folder.File("in.jpg"), output = folder.File("out.pnm"), errors = folder.File("stderr.txt");
        File.WriteAllBytes(input, jpeg);
        int exitCode = Run("djpeg", $"-dct int -pnm -outfile {output} {input}", folder.Path, cCode ? ("JSIMD_FORCENONE", "1") : null, mayFail: true);
        Rgba32[]? pixels = exitCode != 1 && File.Exists(output) ? ReadPnm(File.ReadAllBytes(output), out _, out _) : null;
        return (exitCode, File.Exists(errors) ? File.ReadAllText(errors) : "", pixels);
    }

    private static readonly object ShellGate = new();
    private static Process? s_shell;

    /// <summary>
    /// Runs the tool through one long-lived /bin/sh, started once per test process. Under qemu user-mode emulation
    /// (the ARM64 legs) a fork from the multithreaded emulated process can deadlock in the child before it execs;
    /// one fork per process instead of one per tool call makes that vanishingly rare. The shell forks natively.
    /// </summary>
    private static int Run(string tool, string arguments, string workingDirectory, (string Name, string Value)? environment = null, bool mayFail = false)
    {
        string path = Find(tool);
        lock (ShellGate)
        {
            s_shell ??= StartShell();
            string errors = Path.Combine(workingDirectory, "stderr.txt");
            string prefix = environment is { } variable ? $"{variable.Name}={variable.Value} " : "";
            s_shell.StandardInput.WriteLine($"cd '{workingDirectory}' && {prefix}'{path}' {arguments} 2>'{errors}'; echo \"{DoneMarker} $?\"");
            s_shell.StandardInput.Flush();
            string? line;
            while ((line = s_shell.StandardOutput.ReadLine()) is not null && !line.StartsWith(DoneMarker, StringComparison.Ordinal)) { }
            Assert.True(line is not null, $"The shell running {tool} ended unexpectedly.");
            int exitCode = int.Parse(line[DoneMarker.Length..], System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(exitCode == 0 || mayFail, $"{tool} {arguments} failed ({exitCode}): {(File.Exists(errors) ? File.ReadAllText(errors) : "")}");
            return exitCode;
        }
    }

    private const string DoneMarker = "__kmeansps_tool_done__";

    private static Process StartShell()
    {
        var info = new ProcessStartInfo("/bin/sh")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        return Process.Start(info) ?? throw new InvalidOperationException("/bin/sh did not start.");
    }

    private static string Find(string tool)
    {
        foreach (string folder in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator).Append("/usr/bin"))
        {
            string candidate = Path.Combine(folder, tool);
            if (File.Exists(candidate)) return candidate;
        }
        Assert.Fail($"{tool} is not installed; these tests compare with libjpeg-turbo. Install it with: apt-get install -y libjpeg-turbo-progs");
        return "";
    }

    private static byte[] Pnm(RgbaImage image, bool grey)
    {
        using var stream = new MemoryStream();
        byte[] header = Encoding.ASCII.GetBytes($"{(grey ? "P5" : "P6")}\n{image.Width} {image.Height}\n255\n");
        stream.Write(header);
        foreach (Rgba32 p in image.Pixels)
        {
            if (grey) stream.WriteByte(p.R);
            else
            {
                stream.WriteByte(p.R);
                stream.WriteByte(p.G);
                stream.WriteByte(p.B);
            }
        }
        return stream.ToArray();
    }

    /// <summary>Binary PPM (P6) or PGM (P5) with maxval 255, as djpeg writes them.</summary>
    public static Rgba32[] ReadPnm(byte[] file, out int width, out int height)
    {
        int p = 0;
        string magic = Token(file, ref p);
        width = int.Parse(Token(file, ref p), System.Globalization.CultureInfo.InvariantCulture);
        height = int.Parse(Token(file, ref p), System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal("255", Token(file, ref p));
        p++; // the single whitespace byte before the samples
        int channels = magic == "P6" ? 3 : 1;
        Assert.True(magic is "P5" or "P6", $"Unexpected PNM type {magic}");
        var pixels = new Rgba32[width * height];
        for (int i = 0; i < pixels.Length; i++)
        {
            int at = p + i * channels;
            pixels[i] = channels == 3 ? new Rgba32(file[at], file[at + 1], file[at + 2], 255) : new Rgba32(file[at], file[at], file[at], 255);
        }
        return pixels;
    }

    private static string Token(byte[] file, ref int p)
    {
        while (char.IsWhiteSpace((char)file[p])) p++;
        int start = p;
        while (!char.IsWhiteSpace((char)file[p])) p++;
        return Encoding.ASCII.GetString(file, start, p - start);
    }
}
