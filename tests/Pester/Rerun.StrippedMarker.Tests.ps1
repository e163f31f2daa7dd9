# An output whose marker a post-processing step removed (exiftool -all=, a PNG optimiser dropping text chunks) or
# moved (ImageMagick rewriting it in place writes text chunks after the image data, where the marker is not looked
# for) is no longer known to be the module's: the next run takes it for someone else's file. Listed into the call it
# is one of the sources, which are never overwritten (OutputIsInput, -Force or not); named alone it is a file in the
# way (OutputExists, which -Force replaces). Either error says the file carries no marker, why that can happen, and
# what to do.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-KMeansPSModulePath) -Force
    $script:Id = 'KMeansPS.Commands.CompressImageKMeansCommand'

    # The offset of each chunk of the PNG in $Bytes before its first IDAT, with its type and whether it is the marker.
    function Get-LeadingChunks([byte[]] $Bytes) {
        for ($at = 8; $at + 12 -le $Bytes.Length; ) {
            $length = [int]([uint32]$Bytes[$at] -shl 24 -bor [uint32]$Bytes[$at + 1] -shl 16 -bor [uint32]$Bytes[$at + 2] -shl 8 -bor $Bytes[$at + 3])
            $type = [Text.Encoding]::ASCII.GetString($Bytes, $at + 4, 4)
            [pscustomobject]@{ At = $at; Length = 12 + $length; Type = $type
                Marker = $type -eq 'tEXt' -and [Text.Encoding]::Latin1.GetString($Bytes, $at + 8, [math]::Min(9, $length)) -eq "KMeansPS`0" }
            $at += 12 + $length
        }
    }

    # The PNG at $Path without its KMeansPS tEXt chunk, as a PNG optimiser that drops text chunks leaves it.
    function Remove-MarkerChunk([string] $Path) {
        $bytes = [IO.File]::ReadAllBytes($Path)
        $kept = [IO.MemoryStream]::new()
        $kept.Write($bytes, 0, 8)
        foreach ($chunk in Get-LeadingChunks $bytes) { if (-not $chunk.Marker) { $kept.Write($bytes, $chunk.At, $chunk.Length) } }
        [IO.File]::WriteAllBytes($Path, $kept.ToArray())
    }

    # Whether the module finds its marker in the PNG at $Path: a KMeansPS tEXt chunk before the image data.
    function Test-Marker([string] $Path) { $null -ne (Get-PngMarkerText $Path) }

    # A folder holding photo.png and its output photo-k8.png with the marker removed by $Strip.
    function New-StrippedOutput([scriptblock] $Strip) {
        $dir = Join-Path $TestDrive ([guid]::NewGuid())
        New-Item -ItemType Directory -Path $dir | Out-Null
        $source = Join-Path $dir 'photo.png'
        $null = New-TestPng -Path $source
        $null = Compress-ImageKMeans -LiteralPath $source -K 8 -ErrorAction Stop
        $output = Join-Path $dir 'photo-k8.png'
        Test-Marker $output | Should -BeTrue -Because 'the module marks its outputs'
        & $Strip $output
        Test-Marker $output | Should -BeFalse -Because 'the step removed the marker, or moved it after the image data'
        [pscustomobject]@{ Folder = $dir; Source = $source; Output = $output; Hash = (Get-FileHash -LiteralPath $output).Hash }
    }
}

AfterAll {
    Remove-Module KMeansPS -ErrorAction SilentlyContinue
}

Describe 'An output whose marker was removed after it was written' {
    It 'by <Name>, listed into the call with its source: OutputIsInput says it carries no marker, and what to do' -ForEach @(
        @{ Name = 'a PNG optimiser that drops text chunks'; Tool = $null; Strip = { param($p) Remove-MarkerChunk $p } }
        @{ Name = 'exiftool -all='; Tool = 'exiftool'; Strip = { param($p) & exiftool -q -all= -overwrite_original $p } }
        @{ Name = 'ImageMagick convert out.png out.png'; Tool = '/usr/bin/convert'; Strip = { param($p) & /usr/bin/convert $p $p } }
    ) {
        if ($Tool -and -not (Get-Command $Tool -ErrorAction SilentlyContinue)) { Set-ItResult -Skipped -Because "$Tool is not installed"; return }
        $case = New-StrippedOutput $Strip
        foreach ($force in $false, $true) {
            $results = Get-ChildItem -LiteralPath $case.Folder -Filter '*.png' | Sort-Object Name |
                Compress-ImageKMeans -K 8 -Force:$force -ErrorVariable errs -ErrorAction SilentlyContinue
            $failed = @($errs | Where-Object TargetObject -eq $case.Source)
            $failed.Count | Should -Be 1
            $failed[0].FullyQualifiedErrorId | Should -Be "OutputIsInput,$script:Id"
            $failed[0].Exception.Message | Should -BeLike "The output '$($case.Output)' of '$($case.Source)' is '$($case.Output)', an input of this command (or a link to it): it carries no KMeansPS marker, so it is not known to be an output of this module and is taken as one of the sources (tools that rewrite images, such as exiftool -all=*drop or move the marker*). Inputs are never overwritten, even with -Force: leave that file out of the inputs, or give the output another name or folder."
            (Get-FileHash -LiteralPath $case.Output).Hash | Should -Be $case.Hash
            Remove-Item -LiteralPath (Join-Path $case.Folder 'photo-k8-k8.png') -ErrorAction SilentlyContinue # the stripped file compressed as a source
        }
    }

    It 'by <Name>, named alone: OutputExists says it carries no marker, and -Force replaces it' -ForEach @(
        @{ Name = 'a PNG optimiser that drops text chunks'; Tool = $null; Strip = { param($p) Remove-MarkerChunk $p } }
        @{ Name = 'exiftool -all='; Tool = 'exiftool'; Strip = { param($p) & exiftool -q -all= -overwrite_original $p } }
    ) {
        if ($Tool -and -not (Get-Command $Tool -ErrorAction SilentlyContinue)) { Set-ItResult -Skipped -Because "$Tool is not installed"; return }
        $case = New-StrippedOutput $Strip
        $null = Compress-ImageKMeans -LiteralPath $case.Source -K 8 -ErrorVariable errs -ErrorAction SilentlyContinue
        $errs.Count | Should -Be 1
        $errs[0].FullyQualifiedErrorId | Should -Be "OutputExists,$script:Id"
        $errs[0].Exception.Message | Should -BeLike "The file '$($case.Output)' already exists and carries no KMeansPS marker, so it is not known to be an output of this module (tools that rewrite images*drop or move the marker*). Use -Force to overwrite it."
        (Get-FileHash -LiteralPath $case.Output).Hash | Should -Be $case.Hash
        (Compress-ImageKMeans -LiteralPath $case.Source -K 8 -Force -ErrorAction Stop).Status | Should -Be 'Written'
    }

    It 'an output that keeps its marker and is let in by -IncludeOwnOutputs says so' {
        $dir = Join-Path $TestDrive ([guid]::NewGuid())
        New-Item -ItemType Directory -Path $dir | Out-Null
        $source = Join-Path $dir 'photo.png'
        $null = New-TestPng -Path $source
        $null = Compress-ImageKMeans -LiteralPath $source -K 8 -ErrorAction Stop
        $output = Join-Path $dir 'photo-k8.png'
        $null = Compress-ImageKMeans -LiteralPath $output, $source -K 8 -Dither FloydSteinberg -IncludeOwnOutputs -ErrorVariable errs -ErrorAction SilentlyContinue
        $failed = @($errs | Where-Object TargetObject -eq $source)
        $failed[0].FullyQualifiedErrorId | Should -Be "OutputIsInput,$script:Id"
        $failed[0].Exception.Message | Should -BeLike "*an input of this command (or a link to it): it is an output of KMeansPS, read as an input because -IncludeOwnOutputs was given. Inputs are never overwritten, even with -Force*"
    }
}
