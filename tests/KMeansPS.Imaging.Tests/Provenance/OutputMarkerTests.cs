using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using KMeansPS.Imaging.Gif;
using KMeansPS.Imaging.Metrics;
using KMeansPS.Imaging.Png;
using KMeansPS.Imaging.Metadata;
using KMeansPS.Imaging.Provenance;
using KMeansPS.Imaging.Tests.Png;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace KMeansPS.Imaging.Tests.Provenance;

public class OutputMarkerTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly OutputMarker Sample = new("1.2.3", "sha256:00112233445566778899AABBCCDDEEFF", 42,
        "k=8,format=Png,space=Rgb,dither=None,algorithm=Auto,maxiter=300,tol=0.0001");

    private static Rgba32[] Palette(bool transparent) =>
    [
        new(transparent ? (byte)0 : (byte)10, 20, 30, transparent ? (byte)0 : (byte)255),
        new(200, 100, 50, 255), new(0, 255, 0, 255), new(9, 9, 200, 255), new(255, 255, 255, 255),
    ];

    private static byte[] Indices(int count)
    {
        var random = new Random(5);
        var indices = new byte[count];
        for (int i = 0; i < count; i++) indices[i] = (byte)random.Next(5);
        return indices;
    }

    private static byte[] EncodePng(OutputMarker? marker, bool transparent = false)
    {
        using var ms = new MemoryStream();
        PalettePngEncoder.Write(ms, 37, 11, Indices(37 * 11), Palette(transparent), marker, 1, Ct);
        return ms.ToArray();
    }

    private static byte[] Chunk(string type, byte[] data)
    {
        var chunk = new byte[12 + data.Length];
        BinaryPrimitives.WriteInt32BigEndian(chunk, data.Length);
        Encoding.ASCII.GetBytes(type, chunk.AsSpan(4));
        data.CopyTo(chunk, 8);
        BinaryPrimitives.WriteUInt32BigEndian(chunk.AsSpan(8 + data.Length), Crc32.Compute(chunk.AsSpan(4, 4 + data.Length)));
        return chunk;
    }

    // The unmarked PNG with one more chunk inserted before the chunk of type 'before'.
    private static byte[] Insert(byte[] png, byte[] chunk, string before)
    {
        int p = 8;
        while (Encoding.ASCII.GetString(png, p + 4, 4) != before) p += 12 + BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(p));
        return [.. png.AsSpan(0, p), .. chunk, .. png.AsSpan(p)];
    }

    private static MarkedFile? ReadBytes(byte[] file) => OutputMarkerReader.Read(new MemoryStream(file));

    [Fact]
    public void The_text_round_trips_and_other_texts_are_not_markers()
    {
        Assert.Equal(Sample, OutputMarker.Parse(Sample.ToText()));
        Assert.StartsWith("2;1.2.3;", Sample.ToText(), StringComparison.Ordinal);
        Assert.Null(OutputMarker.Parse("v=2;tool=1;source=x;seed=1;settings=k=8"));
        Assert.Null(OutputMarker.Parse("v=1;tool=1;source=x;seed=one;settings=k=8"));
        Assert.Null(OutputMarker.Parse("v=1;tool=1;source=x;settings=k=8"));
        Assert.Null(OutputMarker.Parse("Created with GIMP"));
    }

    // A marker as versions before the compact form wrote it, spelled out here rather than produced by the code.
    private const string Version1Text = "v=1;tool=1.2.3;source=sha256:00112233445566778899AABBCCDDEEFF;seed=42;"
        + "settings=k=8,format=Png,space=Rgb,dither=None,algorithm=Auto,maxiter=300,tol=0.0001";

    [Fact]
    public void A_marker_written_the_version_1_way_is_read_as_the_same_record_from_a_PNG_and_a_GIF_comment()
    {
        Assert.Equal(Sample, OutputMarker.Parse(Version1Text));
        Assert.Equal(Version1Text, OutputMarkerText.Version1(Sample));

        byte[] png = Insert(EncodePng(null), Chunk("tEXt", Encoding.Latin1.GetBytes("KMeansPS\0" + Version1Text)), "IDAT");
        MarkedFile? found = ReadBytes(png);
        Assert.NotNull(found);
        Assert.Equal(Sample, found.Marker);
        Assert.Equal(Version1Text, found.Text);

        using var image = Image.LoadPixelData<Rgba32>(new Rgba32[4], 2, 2);
        image.Metadata.GetGifMetadata().Comments.Add("KMeansPS:" + Version1Text);
        using var gif = new MemoryStream();
        image.SaveAsGif(gif);
        Assert.Equal(Sample, ReadBytes(gif.ToArray())?.Marker);
    }

    [Fact]
    public void The_compact_marker_costs_under_70_bytes_in_a_png_under_half_of_version_1()
    {
        var typical = new OutputMarker("0.1.0", OutputMarker.HashBytes("a source"u8), 1_234_567_890,
            "k=256,format=Png,space=Rgb,dither=None,algorithm=Auto,maxiter=300,tol=0.0001");
        PngChunk text = PngChunk.Parse(EncodePng(typical)).Single(c => c.Type == "tEXt");
        Assert.True(12 + text.Data.Length < 70, $"{12 + text.Data.Length} bytes: {typical.ToText()}");
        Assert.True(2 * text.Data.Length < "KMeansPS\0".Length + OutputMarkerText.Version1(typical).Length);
        Assert.Equal(typical, ReadBytes(EncodePng(typical))?.Marker);
    }

    public static TheoryData<long, string> Records()
    {
        var data = new TheoryData<long, string>();
        long[] seeds = [0, 1, -1, 127, 128, int.MaxValue, long.MaxValue, long.MinValue];
        string[] settings =
        [
            "k=8,format=Png,space=Rgb,dither=None,algorithm=Auto,maxiter=300,tol=0.0001",
            "k=256,format=Gif,space=OkLab,dither=FloydSteinberg,algorithm=Hamerly,maxiter=3000,tol=1E-05,minpsnr=35.5,strip",
            "k=2,format=Png,space=Rgb,dither=None,algorithm=MiniBatch,maxiter=30,tol=0,strip",
            "k=16,format=Png,space=Rgb,dither=None,algorithm=Auto,maxiter=300,tol=0.00015,minpsnr=40",
            "k=64,format=Png,space=Rgb,dither=None,algorithm=Auto,maxiter=300,tol=0.0001,compression=SmallestSize",
            "k=4,format=Png,space=Rgb,dither=None,algorithm=Auto,maxiter=300,tol=0.0001,strip,compression=Fastest,compression=NoCompression",
            "k=8,newsetting=x=y,,format=Png",
            "",
        ];
        for (int i = 0; i < seeds.Length; i++) data.Add(seeds[i], settings[i % settings.Length]);
        return data;
    }

    [Theory]
    [MemberData(nameof(Records))]
    public void Every_seed_and_settings_text_round_trips_in_the_compact_form(long seed, string settings)
    {
        var marker = new OutputMarker("9.8.7", OutputMarker.HashBytes(BitConverter.GetBytes(seed)), seed, settings);
        string text = marker.ToText();
        Assert.StartsWith("2;", text, StringComparison.Ordinal);
        Assert.Equal(marker, OutputMarker.Parse(text));
        Assert.Equal(marker, ReadBytes(EncodePng(marker))?.Marker);
        Assert.True(text.All(c => c is >= ' ' and <= '~'), text);
    }

    [Theory]
    [InlineData("sha256:FF", "k=8")]                                   // a hash of another length
    [InlineData("sha256:00112233445566778899aabbccddeeff", "k=8")]    // lower-case hex would not come back the same
    [InlineData("", "k=8")]
    [InlineData("sha256:00112233445566778899AABBCCDDEEFF", "k=8,note=50%!")] // characters the compact form uses
    public void A_marker_the_compact_form_cannot_hold_is_written_and_read_as_version_1(string hash, string settings)
    {
        var marker = new OutputMarker("1.0.0", hash, 3, settings);
        Assert.StartsWith("v=1;", marker.ToText(), StringComparison.Ordinal);
        Assert.Equal(marker, OutputMarker.Parse(marker.ToText()));
    }

    [Theory]
    [InlineData("2;1.0")]
    [InlineData("2;1.0;ABEiM0RVZneImaq7zN3u_yo;k=8;x")]   // a fourth separator
    [InlineData("2;1.0;ABEiM0RVZneImaq7zN3u_w;k=8")]      // the hash without a seed
    [InlineData("2;1.0;ABEiM0RVZneImaq7zN3u_6o;k=8")]     // a seed whose last byte says more follow
    [InlineData("2;1.0;ABEiM0RVZneImaq7zN3u_yoq;k=8")]    // bytes after the seed
    [InlineData("2;1.0;ABEiM0RVZneImaq7zN3u_yo=;k=8")]    // padding
    [InlineData("2;1.0;ABEiM0RVZneImaq7zN3u/yo;k=8")]     // standard, not URL-safe, base64
    [InlineData("2;1.0;ABEiM0RVZneImaq7zN3u_yp;k=8")]     // bits after the last byte
    public void Damaged_compact_texts_are_not_markers(string text)
    {
        Assert.Null(OutputMarker.Parse(text));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_marked_png_has_the_same_chunks_and_pixels_plus_one_text_chunk_after_ihdr(bool transparent)
    {
        byte[] plain = EncodePng(null, transparent);
        byte[] marked = EncodePng(Sample, transparent);
        List<PngChunk> plainChunks = PngChunk.Parse(plain), markedChunks = PngChunk.Parse(marked);

        string[] expectedOrder = transparent ? ["IHDR", "tEXt", "PLTE", "tRNS", "IDAT", "IEND"] : ["IHDR", "tEXt", "PLTE", "IDAT", "IEND"];
        Assert.Equal(expectedOrder, markedChunks.Select(c => c.Type));
        Assert.Equal(plainChunks, markedChunks.Where(c => c.Type != "tEXt"), (a, b) => a.Type == b.Type && a.Data.SequenceEqual(b.Data) && a.Crc == b.Crc);
        PngChunk text = markedChunks.Single(c => c.Type == "tEXt");
        Assert.Equal(Crc32.Compute([.. "tEXt"u8, .. text.Data]), text.Crc);

        using var a = Image.Load<Rgba32>(plain);
        using var b = Image.Load<Rgba32>(marked);
        for (int y = 0; y < a.Height; y++)
            for (int x = 0; x < a.Width; x++)
                Assert.Equal(a[x, y], b[x, y]);
    }

    [Fact]
    public void The_reader_finds_the_marker_and_the_size_of_a_marked_png_only()
    {
        MarkedFile? found = ReadBytes(EncodePng(Sample));
        Assert.NotNull(found);
        Assert.Equal(Sample, found.Marker);
        Assert.Equal(Sample.ToText(), found.Text);
        Assert.Equal((37, 11), (found.Width, found.Height));
        Assert.Null(ReadBytes(EncodePng(null)));
    }

    [Fact]
    public void A_marked_file_cut_short_keeps_its_marker_but_is_not_complete()
    {
        byte[] png = EncodePng(Sample);
        Assert.True(ReadBytes(png)!.Complete);
        foreach (int cut in new[] { 1, 12, png.Length / 2 })
        {
            MarkedFile? shortened = ReadBytes(png[..^cut]);
            Assert.NotNull(shortened);
            Assert.Equal(Sample, shortened.Marker);
            Assert.False(shortened.Complete, $"{cut} bytes cut");
        }
        using var gif = new MemoryStream();
        byte[] indices = new byte[37 * 11];
        GifPaletteWriter.Write(gif, 37, 11, indices, Palette(transparent: false), Sample, Ct);
        byte[] whole = gif.ToArray();
        Assert.True(ReadBytes(whole)!.Complete);
        Assert.False(ReadBytes(whole[..^1])!.Complete);
    }

    [Fact]
    public void A_marked_file_cut_inside_a_large_profile_still_carries_its_marker()
    {
        // The marker comes right after IHDR: a power cut that keeps only a file's first pages, inside a profile of
        // megabytes, leaves a file the next run still knows as its own (and writes again), not someone else's.
        byte[] profile = new byte[64 * 1024];
        new Random(7).NextBytes(profile); // incompressible, so the iCCP chunk is as long
        using var ms = new MemoryStream();
        PalettePngEncoder.Write(ms, 37, 11, Indices(37 * 11), Palette(transparent: false), Sample, new CarriedMetadata { IccProfile = profile }, 1, Ct);
        byte[] png = ms.ToArray();
        int icc = png.AsSpan().IndexOf("iCCP"u8);
        Assert.True(icc > 0 && png.Length > icc + 60000);
        foreach (int keep in new[] { icc + 8, 4096, 8192, icc + 60000 })
        {
            MarkedFile? shortened = ReadBytes(png[..keep]);
            Assert.NotNull(shortened);
            Assert.Equal(Sample, shortened.Marker);
            Assert.False(shortened.Complete, $"{keep} bytes kept");
        }
    }

    [Theory]
    [InlineData("Comment", "KMeansPS\0v=1;tool=1;source=x;seed=1;settings=k=8")] // another keyword holding the text
    [InlineData("KMeansPSX", "v=1;tool=1;source=x;seed=1;settings=k=8")]         // the keyword as a prefix
    [InlineData("KMeans", "PS\0v=1;tool=1;source=x;seed=1;settings=k=8")]        // the keyword split by the separator
    [InlineData("Software", "KMeansPS")]
    public void A_text_chunk_of_another_keyword_is_not_a_marker(string keyword, string text)
    {
        byte[] png = Insert(EncodePng(null), Chunk("tEXt", Encoding.Latin1.GetBytes(keyword + "\0" + text)), "IDAT");
        Assert.Null(ReadBytes(png));
        using var image = Image.Load<Rgba32>(png); // still a valid PNG
        Assert.Equal(37, image.Width);
    }

    [Fact]
    public void Another_keyword_before_the_marker_does_not_hide_it()
    {
        byte[] png = Insert(EncodePng(Sample), Chunk("tEXt", "Software\0GIMP"u8.ToArray()), "PLTE");
        Assert.Equal(Sample, ReadBytes(png)?.Marker);
    }

    [Fact]
    public void A_marker_after_the_image_data_or_with_a_bad_crc_is_not_read()
    {
        byte[] after = Insert(EncodePng(null), Chunk("tEXt", Sample.ToPngTextData()), "IEND");
        Assert.Null(ReadBytes(after));

        byte[] damaged = EncodePng(Sample);
        int at = damaged.AsSpan().IndexOf("tEXt"u8);
        damaged[at + 4 + 20] ^= 1; // a byte of the text: the CRC no longer matches
        Assert.Null(ReadBytes(damaged));
    }

    [Fact]
    public void A_marker_of_an_unknown_version_still_marks_the_file_as_the_modules_own()
    {
        byte[] png = Insert(EncodePng(null), Chunk("tEXt", "KMeansPS\0v=9;whatever"u8.ToArray()), "IDAT");
        MarkedFile? found = ReadBytes(png);
        Assert.NotNull(found);
        Assert.Null(found.Marker);
        Assert.Equal("v=9;whatever", found.Text);
    }

    [Theory]
    [InlineData("hello")]
    [InlineData("")]
    [InlineData("v=;x")]
    [InlineData("v=1")]
    [InlineData("made by me; 2;")]
    [InlineData("2 ;x")]
    public void Other_text_under_the_keyword_is_a_note_not_a_marker(string text)
    {
        byte[] png = Insert(EncodePng(null), Chunk("tEXt", Encoding.Latin1.GetBytes("KMeansPS\0" + text)), "IDAT");
        Assert.Null(ReadBytes(png));
        string gifPath = Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N") + ".gif");
        try
        {
            using (var image = new Image<Rgba32>(4, 4))
            {
                image.Metadata.GetGifMetadata().Comments.Add(OutputMarker.GifCommentPrefix + text);
                image.SaveAsGif(gifPath);
            }
            Assert.Null(OutputMarkerReader.Read(gifPath));
        }
        finally
        {
            File.Delete(gifPath);
        }
    }

    [Fact]
    public void A_note_under_the_keyword_before_the_marker_does_not_hide_it()
    {
        byte[] png = Insert(EncodePng(Sample), Chunk("tEXt", "KMeansPS\0hello"u8.ToArray()), "PLTE");
        Assert.Equal(Sample, ReadBytes(png)?.Marker);
    }

    [Theory]
    [InlineData("3;tool;x;y")]
    [InlineData("v=12;anything")]
    public void A_later_versions_shape_is_still_a_marker(string text)
    {
        byte[] png = Insert(EncodePng(null), Chunk("tEXt", Encoding.Latin1.GetBytes("KMeansPS\0" + text)), "IDAT");
        MarkedFile? found = ReadBytes(png);
        Assert.NotNull(found);
        Assert.Null(found.Marker);
        Assert.Equal(text, found.Text);
    }

    [Fact]
    public void Truncated_files_other_formats_and_missing_files_have_no_marker()
    {
        byte[] marked = EncodePng(Sample);
        int at = marked.AsSpan().IndexOf("tEXt"u8);
        for (int cut = 0; cut < at + 30; cut += 7) Assert.Null(ReadBytes(marked[..cut]));
        Assert.Null(ReadBytes("GIF89a"u8.ToArray()));
        Assert.Null(ReadBytes(Encoding.ASCII.GetBytes("not an image at all, just text")));
        Assert.Null(OutputMarkerReader.Read(Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N") + ".png")));
    }

    [Fact]
    public void A_gif_carries_the_marker_in_a_comment_and_plain_or_other_comments_are_not_markers()
    {
        byte[] indices = Indices(37 * 11);
        Rgba32[] palette = Palette(transparent: true);
        using var marked = new MemoryStream();
        GifPaletteWriter.Write(marked, 37, 11, indices, palette, Sample, Ct);
        MarkedFile? found = ReadBytes(marked.ToArray());
        Assert.NotNull(found);
        Assert.Equal(Sample, found.Marker);
        Assert.Equal((37, 11), (found.Width, found.Height));

        using var plain = new MemoryStream();
        GifPaletteWriter.Write(plain, 37, 11, indices, palette, Ct);
        Assert.Null(ReadBytes(plain.ToArray()));

        using var image = Image.LoadPixelData<Rgba32>(new Rgba32[4], 2, 2);
        image.Metadata.GetGifMetadata().Comments.Add("KMeansPS is a nice tool");
        using var other = new MemoryStream();
        image.SaveAsGif(other);
        Assert.Null(ReadBytes(other.ToArray()));

        // The pixels are those of the unmarked file.
        using var a = Image.Load<Rgba32>(plain.ToArray());
        using var b = Image.Load<Rgba32>(marked.ToArray());
        for (int y = 0; y < a.Height; y++)
            for (int x = 0; x < a.Width; x++)
                Assert.Equal(a[x, y], b[x, y]);
    }

    [Fact]
    public void The_comparison_figure_carries_the_marker_before_its_image_data()
    {
        using var folder = new TempFolder();
        var pixels = new Rgba32[16 * 8];
        for (int i = 0; i < pixels.Length; i++) pixels[i] = new Rgba32((byte)i, (byte)(3 * i), 7, 255);
        var original = new RgbaImage(16, 8, pixels);
        string path = folder.File("figure.png");
        ComparisonFigure.Write(path, original, pixels, ComparisonFigure.DefaultMaxWidth, null, Sample, Ct);
        Assert.Equal(Sample, OutputMarkerReader.Read(path)?.Marker);
        string unmarked = folder.File("plain.png");
        ComparisonFigure.Write(unmarked, original, pixels, cancellationToken: Ct);
        Assert.Null(OutputMarkerReader.Read(unmarked));
    }

    [Fact]
    public void The_source_hash_is_the_first_half_of_sha256_and_changes_with_one_byte()
    {
        using var folder = new TempFolder();
        string path = folder.File("source.bin");
        byte[] bytes = new byte[200_000];
        new Random(9).NextBytes(bytes);
        File.WriteAllBytes(path, bytes);
        string hash = OutputMarker.HashFile(path, Ct);
        Assert.Equal("sha256:" + Convert.ToHexString(SHA256.HashData(bytes).AsSpan(0, 16)), hash);
        bytes[123_456] ^= 0x40;
        File.WriteAllBytes(path, bytes);
        Assert.NotEqual(hash, OutputMarker.HashFile(path, Ct));
    }
}
