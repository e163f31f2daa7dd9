using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using KMeansPS.Imaging.Png.Deflate;

namespace KMeansPS.Benchmarks;

/// <summary>
/// The IDAT scanlines of PNG files deflated three ways: <c>KMeansPS.Benchmarks deflate [RUNS] [CHAIN] [NICE] [PASSES] FILE.png...</c>
/// prints, per file, the raw deflate bytes and median milliseconds of zlib at SmallestSize, of that stream with its
/// blocks redrawn (what the encoder writes by default) and of the near-optimal parse with the same block drawing.
/// One band per file, as the encoder deflates an image of up to 1 MiB of scanlines; CHAIN 0 parses as the encoder does
/// (its settings, in parts on every core).
/// </summary>
public static class DeflateParses
{
    public static int Run(string[] args)
    {
        if (args.Length < 6)
        {
            Console.Error.WriteLine("usage: deflate RUNS CHAIN NICE PASSES FILE.png...");
            return 2;
        }
        int runs = int.Parse(args[1], CultureInfo.InvariantCulture);
        int chain = int.Parse(args[2], CultureInfo.InvariantCulture);
        int nice = int.Parse(args[3], CultureInfo.InvariantCulture);
        int passes = int.Parse(args[4], CultureInfo.InvariantCulture);
        Console.WriteLine("file\tscanlines\tzlib\tzlib ms\tredrawn\tredraw ms\tnear-optimal\tnear-optimal ms");
        foreach (string path in args.Skip(5))
        {
            byte[] raw = Scanlines(path);
            byte[] zlib = [];
            byte[]? redrawn = null, reparsed = null;
            var zlibMs = new List<double>();
            var redrawMs = new List<double>();
            var parseMs = new List<double>();
            for (int r = 0; r < runs; r++)
            {
                var watch = Stopwatch.StartNew();
                zlib = Deflate(raw);
                zlibMs.Add(watch.Elapsed.TotalMilliseconds);
                watch.Restart();
                redrawn = DeflateRepacker.Repack(zlib, raw, final: true);
                redrawMs.Add(watch.Elapsed.TotalMilliseconds);
                watch.Restart();
                if (chain != 0 && raw.Length > NearOptimalParser.MaxBytes) break; // one parse's limit: printed as failed
                uint[] tokens = chain == 0 ? NearOptimalParser.ParseParts(raw, raw.Length, Environment.ProcessorCount)
                    : new NearOptimalParser(chain, nice, passes).Parse(raw);
                reparsed = DeflateRepacker.Encode(tokens, raw, final: true, limit: raw.Length + (raw.Length / 8) + 1024);
                parseMs.Add(watch.Elapsed.TotalMilliseconds);
            }
            Console.WriteLine(string.Join('\t', Path.GetFileName(path), raw.Length, zlib.Length, Median(zlibMs), redrawn!.Length, Median(redrawMs),
                reparsed?.Length.ToString(CultureInfo.InvariantCulture) ?? "failed", parseMs.Count == 0 ? "-" : Median(parseMs)));
        }
        return 0;
    }

    private static string Median(List<double> values)
    {
        values.Sort();
        return values[values.Count / 2].ToString("F1", CultureInfo.InvariantCulture);
    }

    private static byte[] Deflate(byte[] raw)
    {
        using var ms = new MemoryStream();
        using (var deflate = new DeflateStream(ms, CompressionLevel.SmallestSize, leaveOpen: true)) deflate.Write(raw);
        return ms.ToArray();
    }

    /// <summary>The inflated IDAT of a PNG file.</summary>
    private static byte[] Scanlines(string path)
    {
        byte[] file = File.ReadAllBytes(path);
        using var idat = new MemoryStream();
        for (int at = 8; at + 12 <= file.Length;)
        {
            int length = BinaryPrimitives.ReadInt32BigEndian(file.AsSpan(at));
            string type = System.Text.Encoding.ASCII.GetString(file, at + 4, 4);
            if (type == "IDAT") idat.Write(file, at + 8, length);
            at += 12 + length;
        }
        idat.Position = 0;
        using var inflater = new ZLibStream(idat, CompressionMode.Decompress);
        using var raw = new MemoryStream();
        inflater.CopyTo(raw);
        return raw.ToArray();
    }
}
