using KMeansPS.Imaging.Integrity;
using KMeansPS.Imaging.Bmp;
using KMeansPS.Imaging.Gif;
using KMeansPS.Imaging.Png;
using KMeansPS.Imaging.Tiff;
using KMeansPS.Imaging.Pnm;
using KMeansPS.Imaging.Jpeg;
using KMeansPS.Imaging.Tga;
using KMeansPS.Imaging.Webp;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.Formats.Gif;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Formats.Tiff;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.Memory;
using SixLabors.ImageSharp.PixelFormats;

namespace KMeansPS.Imaging.Decoding;

/// <summary>
/// Reads an image file into straight 8-bit RGBA: JPEG with our exact-integer decoder (<see cref="ExactJpegDecoder"/>,
/// the same pixels on every instruction set, EXIF orientation applied), the Netpbm files ImageSharp misreads (PGM/PPM
/// of a maximum other than 255, a binary raster starting with whitespace or '#') with <see cref="PnmDecoder"/>,
/// everything else ImageSharp 2.1 decodes (PNG of every bit depth and colour type, BMP, GIF, TIFF, WebP, TGA, PBM,
/// PGM/PPM of maximum 255) with ImageSharp. A source of more than 8 bits a channel (16-bit PNG,
/// 16-bit TIFF, PGM/PPM above maximum 255) also keeps its 16-bit pixels (<see cref="RgbaImage.Wide"/>). The file is read once
/// into memory and its structure checked first (<see cref="FileIntegrity"/>): a truncated, short or lying file, an
/// animation or a multi-page file is refused, and an oversized one is refused before its pixels are allocated.
/// </summary>
internal static class ImageDecoder
{
    /// <summary>256 megapixels: a 16384 x 16384 image, 1 GiB of RGBA.</summary>
    public const long DefaultMaxPixels = 256L * 1024 * 1024;

    /// <summary>
    /// ImageSharp's default allocator keeps freed buffers in a pool for reuse; we copy the pixels out once, so a
    /// non-pooling allocator returns the decoder's memory as soon as the image is disposed. Metadata is not read
    /// where the decoder can skip it (the output carries none), so a huge text chunk is never inflated.
    /// </summary>
    private static readonly Configuration DecoderConfiguration = CreateConfiguration();

    private static Configuration CreateConfiguration()
    {
        Configuration configuration = Configuration.Default.Clone();
        configuration.MemoryAllocator = MemoryAllocator.Create(new MemoryAllocatorOptions { MaximumPoolSizeMegabytes = 0 });
        configuration.ImageFormatsManager.SetDecoder(PngFormat.Instance, new PngDecoder { IgnoreMetadata = true });
        configuration.ImageFormatsManager.SetDecoder(GifFormat.Instance, new GifDecoder { IgnoreMetadata = true });
        configuration.ImageFormatsManager.SetDecoder(TiffFormat.Instance, new TiffDecoder { IgnoreMetadata = true });
        configuration.ImageFormatsManager.SetDecoder(WebpFormat.Instance, new WebpDecoder { IgnoreMetadata = true });
        return configuration;
    }

    /// <summary>Decodes <paramref name="path"/>. I/O failures surface as <see cref="IOException"/> (ReadError).</summary>
    /// <exception cref="InvalidImageException">Empty, truncated, corrupt, multi-frame or unrecognised file.</exception>
    /// <exception cref="ImageLimitExceededException">More than <paramref name="maxPixels"/> pixels.</exception>
    /// <exception cref="ImageOutOfMemoryException">The pixels do not fit in memory.</exception>
    public static RgbaImage Decode(string path, long maxPixels = DefaultMaxPixels, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using FileStream stream = IO.RegularFileReader.Open(path, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        return Decode(stream, maxPixels, path, cancellationToken);
    }

    /// <summary>Decodes a seekable stream from its position to its end; <paramref name="name"/> is only used in messages.</summary>
    public static RgbaImage Decode(Stream stream, long maxPixels = DefaultMaxPixels, string? name = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxPixels);
        if (!stream.CanSeek)
            throw new ArgumentException("The stream must be seekable (the file is checked before it is decoded).", nameof(stream));
        cancellationToken.ThrowIfCancellationRequested();
        string label = name ?? "the stream";
        long length = stream.Length - stream.Position;
        // A file of the kernel's (/proc, /sys) says it has 0 bytes and still gives some when read: not "empty".
        if (length == 0)
            throw new InvalidImageException(stream.ReadByte() < 0
                ? $"Cannot read '{label}' as an image: the file is empty."
                : $"Cannot read '{label}' as an image: its size reads as 0 bytes, yet it has content (a file the kernel makes up, as in /proc or /sys); it is not an image file.") { FilePath = name };
        if (length > Array.MaxLength)
            throw new InvalidImageException($"Cannot read '{label}' as an image: the file is {Plain.Bytes(length)}, more than the {Plain.Bytes(Array.MaxLength)} an image file may have here.") { FilePath = name };
        RefuseUnknownFormat(stream, label, name);
        byte[] file = LargeBufferCache.Rent<byte>((int)length);
        try
        {
            stream.ReadExactly(file);
            return Decode(file, maxPixels, name, cancellationToken);
        }
        finally
        {
            LargeBufferCache.Return(file);
        }
    }

    /// <summary>The message for a file that no reader recognises.</summary>
    internal static string NotRecognised(string label) =>
        $"Cannot read '{label}' as an image: the format is not recognised (JPEG, PNG, BMP, GIF, TIFF, WebP, TGA and PBM/PGM/PPM are read).";

    /// <summary>
    /// Refuses a stream whose first bytes are no format's, before the whole file is read into memory (a 2 GB file of
    /// anything else would be read whole only to be refused); the stream is left where it was.
    /// </summary>
    internal static void RefuseUnknownFormat(Stream stream, string label, string? name)
    {
        long start = stream.Position;
        Span<byte> head = stackalloc byte[64];
        int read = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        stream.Position = start;
        if (ImageFormatSniffer.Detect(head[..read]) == ImageFileFormat.Unknown)
            throw new InvalidImageException(NotRecognised(label)) { FilePath = name };
    }

    /// <summary>
    /// Decodes a whole file held in <paramref name="file"/> (every element is the file's). Checks its structure
    /// first, unless the caller passes the <paramref name="report"/> it already enforced.
    /// </summary>
    internal static RgbaImage Decode(byte[] file, long maxPixels, string? name, CancellationToken cancellationToken, IntegrityReport? report = null)
    {
        ArgumentNullException.ThrowIfNull(file);
        string label = name ?? "the stream";
        if (file.Length == 0)
            throw new InvalidImageException($"Cannot read '{label}' as an image: the file is empty.") { FilePath = name };
        if (report is null)
        {
            // A lossy WebP's frame is walked beside ImageSharp's decode (below), on the other core.
            report = FileIntegrity.Check(file, new IntegrityOptions { MaxPixels = maxPixels, WalkLossyWebpFrame = false });
            IntegrityGate.Enforce(report, label, name, maxPixels);
        }
        cancellationToken.ThrowIfCancellationRequested();
        Task<string?>? lossyWalk = WalkBeside(file, report, maxPixels);
        try
        {
            if (ExactJpegDecoder.IsJpeg(file))
            {
                RgbaImage? exact = DecodeExactJpeg(file, maxPixels, label, name, cancellationToken);
                if (exact is not null) return exact;
                // A kind our decoder does not read (CMYK, arithmetic coding, 12-bit...): ImageSharp, which pads a
                // truncated file silently, so the end-of-image marker must be there (it cannot occur inside coded data).
                if (!HasEndOfImageAfterFirstScan(file))
                    throw new InvalidImageException($"Cannot read '{label}' as an image: the JPEG has no end-of-image marker (the file is truncated).") { FilePath = name };
                // Nor does it notice data cut short before a marker put back after it: our scan decoding does.
                string? leftover = ExactJpegDecoder.CheckScans(file, name, cancellationToken);
                RgbaImage image = DecodeWithImageSharp(file, maxPixels, label, name, cancellationToken);
                // The orientation is read from the segments without decoding the frame.
                JpegFileMetadata segments = JpegMetadataReader.FromSegments(file);
                RgbaImage upright = ExifOrientationTransform.Apply(image, segments.ExifOrientation);
                upright.DecodeWarning = Sentences(LeftoverWarning(leftover, libjpegsPixels: false), OrientationWarning(segments));
                return upright;
            }
            // PGM and PPM of a maximum other than 255: ImageSharp 2.1 misreads them (byte order, scaling).
            if (PnmDecoder.Reads(file)) return PnmDecoder.Decode(file, label, name, cancellationToken);
            // PNG layouts ImageSharp 2.1 misreads, rewritten to ones it reads as libpng reads the file; a TIFF that leaves
            // BitsPerSample at its default, which it fails on, with the tag stated, and without entries whose values
            // cannot lie in the file (a count of 4 billion on a text tag), which it fails on too.
            // A GIF whose first frame reaches past its screen, with the screen widened to cover it (ImageSharp crops the frame);
            // an RLE bitmap as the uncompressed bitmap ImageMagick reads from it (ImageSharp carries runs into the next row).
            // A grey TIFF with alpha, which ImageSharp refuses, read as grey samples of twice the width. A lossy WebP's
            // lossless alpha of fewer than 8 bytes, padded (ImageSharp's reader loads 8 at once), its VP8X bits as libwebp
            // takes them (reserved bits cleared; a lossy image's alpha flag set by whether an ALPH chunk comes before its data),
            // and without ALPH chunks after its VP8 chunk, bytes after its RIFF, or bytes inside it after a still image's data
            // that are no whole chunk (padding, a chunk cut by the RIFF's end), which libwebp never reads.
            // A TGA with the count of attribute bits ImageSharp reads as ImageMagick and PIL read the file: a 32-bit TGA of
            // no attribute bits with its fourth byte read (Tga.TgaAlpha judges it after), a 16-bit grey one's second byte
            // read as it is, a colour-mapped one's none, counts other than 0, 1 and 8.
            // A TIFF of FillOrder 2 with each strip's bits put in order first, as libtiff reads it.
            byte[] tiff = report.Format == ImageFileFormat.Tiff ? ReversedFillOrder.AsLibtiffReads(EntriesOutsideTheFile.Removed(file)) : file;
            // A palette TIFF whose ColorMap holds 8-bit values, with them at 16 bits, as libtiff reads it (with a warning).
            bool eightBitMap = false;
            if (report.Format == ImageFileFormat.Tiff) tiff = EightBitColourMap.AsLibtiffReads(tiff, out eightBitMap);
            // 32-bit floats with horizontal differencing, which ImageSharp decodes without undoing it, undone as libtiff undoes it.
            if (report.Format == ImageFileFormat.Tiff) tiff = DifferencedFloats.Undone(tiff);
            GreyAlphaTiff? greyAlpha = report.Format == ImageFileFormat.Tiff ? GreyAlphaTiff.Read(tiff) : null;
            // A JPEG-compressed TIFF, strip by strip with our JPEG decoder, as libtiff's readers show it.
            TiffJpegStrips? jpegStrips = report.Format == ImageFileFormat.Tiff ? TiffJpegStrips.Read(tiff) : null;
            // A still WebP's image chunk that says less than its data, which libwebp reads on to the file's end.
            ImageDataReadOn.Extent? readOn = report.Format == ImageFileFormat.Webp ? ImageDataReadOn.Find(file, maxPixels) : null;
            byte[] forImageSharp = report.Format switch
            {
                ImageFileFormat.Tiff => SingleSamplePlanes.AsOnePlane(DefaultBitsPerSample.Stated(tiff)),
                ImageFileFormat.Gif => ScreenCoveringFirstFrame.Covering(PlainExtensions.Plain(file)),
                ImageFileFormat.Bmp => PaletteEntryCount.Stated(RleBitmap.ForImageSharp(file)),
                ImageFileFormat.Tga => TgaAlpha.ForImageSharp(UnusedColourMap.Removed(file)),
                ImageFileFormat.Webp => ShortAlphaStream.ForImageSharp(IgnoredVp8xBits.ForImageSharp(EmptyAlphaChunks.Removed(StillAnimationChunks.Removed(
                    LateAlphaChunks.Removed(ImageDataReadOn.PadByteAsData(UnreadTail.Removed(BytesAfterRiff.Removed(ImageDataReadOn.ForImageSharp(file, readOn))))))))),
                _ => ColourKeyByteOrder.ForImageSharp(IgnoredTransparencyChunks.Removed(IdatCoalescer.Coalesce(file))),
            };
            RgbaImage decoded;
            try
            {
                decoded = jpegStrips?.Decode(maxPixels, label, name, cancellationToken)
                    ?? (greyAlpha is not null ? DecodeGreyAlpha(greyAlpha, maxPixels, label, name, cancellationToken)
                    : DecodeWithImageSharp(forImageSharp, maxPixels, label, name, cancellationToken, report.SampleBits));
            }
            catch (InvalidImageException) when (Walked(lossyWalk) is string cut)
            {
                // The frame ends short: say so, rather than what ImageSharp made of the missing data.
                throw new InvalidImageException($"Cannot read '{label}' as an image: {cut}.") { FilePath = name };
            }
            catch (InvalidImageException ex) when (report.Format == ImageFileFormat.Webp && ex.InnerException is not null)
            {
                // The structure check passed what ImageSharp then failed on: our words, not its ("Invalid Webp data.").
                throw new InvalidImageException($"Cannot read '{label}' as an image: {WebpDecodeFailure}", ex.InnerException) { FilePath = name };
            }
            if (Walked(lossyWalk) is string problem)
            {
                LargeBufferCache.Return(decoded.Pixels);
                throw new InvalidImageException($"Cannot read '{label}' as an image: {problem}.") { FilePath = name };
            }
            // A 32-bit BMP's fourth byte, which ImageSharp reads as alpha even where the header or the data say it is none.
            if (report.Format == ImageFileFormat.Bmp) BmpAlpha.Settle(file, decoded.Pixels.AsSpan(0, decoded.Width * decoded.Height));
            // A TGA's attribute bits: alpha as ImageMagick and PIL read them, unless 0 throughout and called no alpha.
            // Its 5-bit channels (15 and 16-bit colours) as ImageMagick and PIL expand them. Two walks: the alpha's stops
            // at the first pixel that is not transparent, and folding it into the expansion's made the common case slower.
            if (report.Format == ImageFileFormat.Tga)
            {
                FiveBitChannels.AsReadersExpand(file, decoded.Pixels.AsSpan(0, decoded.Width * decoded.Height));
                decoded.DecodeWarning = Sentences(TgaAlpha.Settle(file, decoded.Pixels.AsSpan(0, decoded.Width * decoded.Height)),
                    report.TgaRunAcrossRows ? RunAcrossRows.Warning : null);
            }
            if (report.Format == ImageFileFormat.Webp) decoded.DecodeWarning = Sentences(LateAlphaChunks.Warning(file), readOn is null ? UnreadTail.Warning(file) : ImageDataReadOn.Warning(readOn), StillAnimationChunks.Warning(file), EmptyAlphaChunks.Warning(file));
            // A TIFF's Orientation tag, which ImageSharp 2.1 leaves unapplied (libtiff's readers and ImageMagick apply it).
            if (report.Format != ImageFileFormat.Tiff) return decoded;
            RgbaImage turned = ExifOrientationTransform.Apply(decoded, report.Orientation);
            if (!ReferenceEquals(turned, decoded))
            {
                LargeBufferCache.Return(decoded.Pixels);
                if (decoded.Wide is not null) LargeBufferCache.Return(decoded.Wide);
            }
            string? orientation = report.MalformedOrientation?.Warning("The TIFF's Orientation entry");
            turned.DecodeWarning = eightBitMap ? (orientation is null ? EightBitColourMap.Warning : $"{EightBitColourMap.Warning} {orientation}") : orientation;
            return turned;
        }
        catch (Exception ex) when (IsOutOfMemory(ex))
        {
            throw new ImageOutOfMemoryException(
                $"Not enough memory to decode '{label}' ({Plain.Size(report.Width, report.Height)}).", ex) { FilePath = name };
        }
    }

    /// <summary>
    /// A WebP the structure check passed and ImageSharp 2.1 still fails on. The known case, an image chunk whose size says
    /// less than its data (libwebp reads on to the file's end), is handed over read on (Webp.ImageDataReadOn); this is
    /// for any other.
    /// </summary>
    internal const string WebpDecodeFailure = "the WebP's image data does not decode within the chunk sizes it gives, "
        + "so a chunk size is wrong or the data is damaged.";

    /// <summary>
    /// The walk of a lossy WebP frame the structure check left to the decode (<see cref="IntegrityReport.LossyWebpFrame"/>),
    /// started on a copy of the frame's bytes (the caller may reuse the file's buffer once the decode returns); else null.
    /// </summary>
    private static Task<string?>? WalkBeside(byte[] file, IntegrityReport report, long maxPixels)
    {
        if (report.LossyWebpFrame is not { } frame) return null;
        byte[] data = file.AsSpan(frame.Offset, frame.Length).ToArray();
        return Task.Run(() => Vp8DataCheck.Problem(data, maxPixels));
    }

    /// <summary>What the walk found wrong (waiting for it), or null when there is no walk or the frame is whole.</summary>
    private static string? Walked(Task<string?>? walk) => walk?.GetAwaiter().GetResult();

    /// <summary>Our decoder's pixels with the EXIF orientation applied; null for a kind of JPEG it does not read.</summary>
    private static RgbaImage? DecodeExactJpeg(byte[] file, long maxPixels, string label, string? name, CancellationToken cancellationToken)
    {
        JpegImage decoded;
        try
        {
            decoded = ExactJpegDecoder.Decode(file, maxPixels, name, cancellationToken);
        }
        catch (JpegNotSupportedException ex) when (ex.OthersRead)
        {
            return null;
        }
        catch (Exception ex) when (IsDecoderFailure(ex))
        {
            throw Invalid(label, name, ex);
        }
        RgbaImage oriented = ExifOrientationTransform.Apply(decoded.Image, decoded.Header.Metadata.ExifOrientation);
        if (!ReferenceEquals(oriented, decoded.Image)) LargeBufferCache.Return(decoded.Image.Pixels);
        oriented.DecodeWarning = Sentences(LeftoverWarning(decoded.Leftover, libjpegsPixels: true), OrientationWarning(decoded.Header.Metadata));
        return oriented;
    }

    /// <summary>
    /// Data no block uses, in words, and whose pixels the image holds: libjpeg's only when our decoder made them (the
    /// CMYK/YCCK and odd samplings left to ImageSharp come out otherwise, damaged or not).
    /// </summary>
    private static string? LeftoverWarning(string? leftover, bool libjpegsPixels) =>
        leftover is null ? null : $"The JPEG's {leftover}. " + (libjpegsPixels
            ? "The pixels are those libjpeg decodes from it."
            : "The pixels are ImageSharp's decoding of it, not libjpeg's: the module's own decoder does not read this kind of JPEG.");

    /// <summary>An EXIF Orientation entry left unapplied because it holds several values, in words; else null.</summary>
    private static string? OrientationWarning(JpegFileMetadata metadata) =>
        metadata.MalformedExifOrientation?.Warning("The JPEG's EXIF Orientation entry");

    /// <summary>Two warnings as one text (either may be null).</summary>
    private static string? Sentences(params string?[] sentences) =>
        sentences.Any(s => s is not null) ? string.Join(" ", sentences.Where(s => s is not null)) : null;

    /// <summary>
    /// True when an FF D9 marker follows the first start-of-scan marker. Inside entropy-coded data an FF byte is
    /// always followed by 00 or a restart marker, so FF D9 there is the real end of the image.
    /// </summary>
    internal static bool HasEndOfImageAfterFirstScan(ReadOnlySpan<byte> file)
    {
        int scan = file.IndexOf([(byte)0xFF, (byte)0xDA]);
        return scan >= 0 && file[(scan + 2)..].IndexOf([(byte)0xFF, (byte)0xD9]) >= 0;
    }

    private static RgbaImage DecodeWithImageSharp(byte[] file, long maxPixels, string label, string? name, CancellationToken cancellationToken,
        int sampleBits = 0)
    {
        IImageInfo? info;
        IImageFormat? format;
        try
        {
            using var memory = new MemoryStream(file, writable: false);
            info = Image.Identify(DecoderConfiguration, memory, out format);
        }
        catch (Exception ex) when (IsDecoderFailure(ex))
        {
            throw Invalid(label, name, ex);
        }
        if (info is null || format is null)
            throw new InvalidImageException(NotRecognised(label)) { FilePath = name };
        CheckLimit(info.Width, info.Height, maxPixels, label, name);

        cancellationToken.ThrowIfCancellationRequested();
        if (MayHoldSixteenBits(info, format, sampleBits)) return DecodeWide(file, maxPixels, label, name, cancellationToken);
        using (Image<Rgba32> image = Load<Rgba32>(file, label, name, cancellationToken))
        {
            // The frame may differ from the header (a GIF's logical screen, say): check again before copying.
            CheckLimit(image.Width, image.Height, maxPixels, label, name);
            Rgba32[] pixels = LargeBufferCache.Rent<Rgba32>(image.Width * image.Height);
            image.CopyPixelDataTo(pixels);
            if (format is GifFormat) UncoveredScreen.MakeTransparent(file, pixels.AsSpan(0, image.Width * image.Height), image.Width, image.Height);
            cancellationToken.ThrowIfCancellationRequested();
            return new RgbaImage(image.Width, image.Height, pixels);
        }
    }

    /// <summary>
    /// A 16-bit PNG, or a TIFF with a sample of more than 8 bits (10- to 32-bit grey or colour, as its directory says:
    /// <paramref name="sampleBits"/>): ImageSharp decodes these at 16 bits a channel, and rounding to 8 at once would
    /// lose what the palette is measured against.
    /// </summary>
    private static bool MayHoldSixteenBits(IImageInfo info, IImageFormat format, int sampleBits) => format switch
    {
        PngFormat => info.Metadata.GetPngMetadata().BitDepth == PngBitDepth.Bit16,
        TiffFormat => sampleBits > 8,
        _ => false,
    };

    /// <summary>
    /// Decodes at 16 bits a channel; the 8-bit pixels are each channel rounded (as ImageSharp would give them), and the
    /// 16-bit ones are kept as <see cref="RgbaImage.Wide"/> only when 8 bits do not hold them.
    /// </summary>
    private static RgbaImage DecodeWide(byte[] file, long maxPixels, string label, string? name, CancellationToken cancellationToken)
    {
        using (Image<Rgba64> image = Load<Rgba64>(file, label, name, cancellationToken))
        {
            CheckLimit(image.Width, image.Height, maxPixels, label, name);
            int width = image.Width, height = image.Height, count = width * height;
            Rgba64[] wide = LargeBufferCache.Rent<Rgba64>(count);
            image.CopyPixelDataTo(wide);
            image.Dispose(); // its buffer before the 8-bit one is taken
            cancellationToken.ThrowIfCancellationRequested();
            return RgbaImage.FromWide(width, height, wide);
        }
    }

    /// <summary>A grey TIFF with alpha: ImageSharp expands its samples as twice as many grey columns, which are paired up here.</summary>
    private static RgbaImage DecodeGreyAlpha(GreyAlphaTiff tiff, long maxPixels, string label, string? name, CancellationToken cancellationToken)
    {
        CheckLimit(tiff.Width, tiff.Height, maxPixels, label, name);
        int width = tiff.Width, height = tiff.Height;
        if (tiff.Bits == 8)
        {
            using Image<L8> samples = LoadSamples<L8>(tiff, label, name, cancellationToken);
            Rgba32[] pixels = LargeBufferCache.Rent<Rgba32>(width * height);
            samples.ProcessPixelRows(rows =>
            {
                for (int y = 0; y < height; y++) tiff.Assemble(rows.GetRowSpan(y), pixels.AsSpan(y * width, width));
            });
            return new RgbaImage(width, height, pixels);
        }
        Rgba64[] wide;
        using (Image<L16> samples = LoadSamples<L16>(tiff, label, name, cancellationToken))
        {
            Rgba64[] rented = wide = LargeBufferCache.Rent<Rgba64>(width * height);
            samples.ProcessPixelRows(rows =>
            {
                for (int y = 0; y < height; y++) tiff.Assemble(rows.GetRowSpan(y), rented.AsSpan(y * width, width));
            });
        }
        return RgbaImage.FromWide(width, height, wide);
    }

    private static Image<TPixel> LoadSamples<TPixel>(GreyAlphaTiff tiff, string label, string? name, CancellationToken cancellationToken) where TPixel : unmanaged, IPixel<TPixel>
    {
        Image<TPixel> samples = Load<TPixel>(tiff.ForImageSharp, label, name, cancellationToken);
        if (samples.Width == 2 * tiff.Width && samples.Height == tiff.Height) return samples;
        samples.Dispose();
        throw new InvalidImageException($"Cannot read '{label}' as an image: its grey and alpha samples do not fill {Plain.Size(tiff.Width, tiff.Height)} pixels.") { FilePath = name };
    }

    /// <summary>
    /// ImageSharp's decode into <typeparamref name="TPixel"/>; its failures become <see cref="InvalidImageException"/>.
    /// The decoder is the one <c>Image.Load</c> picks, called with our token (which <c>Image.Load</c> does not take) and
    /// over a stream that throws at its next read once the token is cancelled, since most decoders never look at it.
    /// </summary>
    private static Image<TPixel> Load<TPixel>(byte[] file, string label, string? name, CancellationToken cancellationToken)
        where TPixel : unmanaged, IPixel<TPixel>
    {
        try
        {
            IImageFormat? format = Image.DetectFormat(DecoderConfiguration, file);
            IImageDecoder? decoder = format is null ? null : DecoderConfiguration.ImageFormatsManager.FindDecoder(format);
            if (decoder is null) throw new InvalidImageException(NotRecognised(label)) { FilePath = name };
            using var stream = new CancellableReadStream(file, cancellationToken);
            return decoder.Decode<TPixel>(DecoderConfiguration, stream, cancellationToken);
        }
        catch (Exception ex) when (IsDecoderFailure(ex))
        {
            throw Invalid(label, name, ex);
        }
    }

    internal static void CheckLimit(long width, long height, long maxPixels, string label, string? name)
    {
        if (width <= 0 || height <= 0)
            throw new InvalidImageException($"Cannot read '{label}' as an image: its header gives a size of {width} x {height}.") { FilePath = name };
        long pixels = width * height;
        // Arrays of Rgba32 are indexed by int: refuse what cannot be held even if the caller allows more.
        if (pixels > maxPixels || pixels > Array.MaxLength)
            throw new ImageLimitExceededException(
                $"'{label}' is {Plain.Size(width, height)} = {Plain.N(pixels)} pixels, more than the limit of {Plain.N(Math.Min(maxPixels, Array.MaxLength))}.",
                width, height, maxPixels) { FilePath = name };
    }

    /// <summary>
    /// Any failure inside the decoder is a fault of the file as far as the user can tell: ImageSharp 2.1 throws
    /// NullReferenceException, DivideByZeroException, InvalidCastException and others on some damaged files.
    /// Not cancellation, not running out of memory (a resource problem, reported as such), and not our own errors.
    /// </summary>
    internal static bool IsDecoderFailure(Exception ex) =>
        ex is not (OperationCanceledException or InvalidImageException or ImageLimitExceededException or ImageOutOfMemoryException
            or StackOverflowException or ThreadAbortException or ThreadInterruptedException)
        && !IsOutOfMemory(ex);

    /// <summary>The runtime's out-of-memory, or ImageSharp's refusal to allocate a buffer beyond its own limits.</summary>
    private static bool IsOutOfMemory(Exception ex) => ex is OutOfMemoryException or InvalidMemoryOperationException;

    private static InvalidImageException Invalid(string label, string? name, Exception inner) =>
        new($"Cannot read '{label}' as an image: {DecoderMessage(inner)}", inner) { FilePath = name };

    /// <summary>
    /// The decoder's own words when it gave some; for a bug-like exception (NullReferenceException and the like) our own
    /// words, since a runtime exception's name tells a user nothing about the file (it stays on the inner exception).
    /// </summary>
    internal static string DecoderMessage(Exception ex) => ex switch
    {
        ImageFormatException or InvalidDataException or EndOfStreamException or NotSupportedException => ex.Message,
        _ => "the decoder failed on its content, so the file is damaged or of a kind it does not read.",
    };
}
