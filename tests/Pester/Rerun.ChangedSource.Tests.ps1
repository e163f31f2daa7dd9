# A source that changed after its output was made, met by the next (scheduled) run without -Force. The output is
# left as it is either way; the error tells the truth: a source that can no longer be read gets the error a first run
# gives it (not "use -Force", which would only lead there), one that reads is told its output is out of date.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-KMeansPSModulePath) -Force
    $script:Id = 'KMeansPS.Commands.CompressImageKMeansCommand'

    # A folder with a source compressed once (-K 8): the source's and its output's paths, and the output's hash.
    function New-CompressedSource([string] $Extension = '.png') {
        $dir = Join-Path $TestDrive ([guid]::NewGuid())
        New-Item -ItemType Directory -Path $dir | Out-Null
        $source = Join-Path $dir "photo$Extension"
        if ($Extension -eq '.png') { $null = New-TestPng -Path $source -Width 96 -Height 64 }
        else { Copy-Item -LiteralPath (Get-SampleImagePath) -Destination $source }
        $null = Compress-ImageKMeans -LiteralPath $source -K 8 -ErrorAction Stop
        $output = Join-Path $dir 'photo-k8.png'
        [pscustomobject]@{ Folder = $dir; Source = $source; Output = $output; Hash = (Get-FileHash -LiteralPath $output).Hash }
    }

    # What a first run says of the file at $Path: a copy of it, alone in a new folder, compressed once.
    function Get-FirstRunError([string] $Path) {
        $dir = Join-Path $TestDrive ([guid]::NewGuid())
        New-Item -ItemType Directory -Path $dir | Out-Null
        $copy = Join-Path $dir (Split-Path -Leaf $Path)
        Copy-Item -LiteralPath $Path -Destination $copy
        $null = Compress-ImageKMeans -LiteralPath $copy -K 8 -ErrorVariable errs -ErrorAction SilentlyContinue
        $errs.Count | Should -Be 1 -Because 'the damaged file is an error on a first run'
        $errs[0]
    }

    function Edit-Bytes([string] $Path, [scriptblock] $Change) {
        $bytes = [IO.File]::ReadAllBytes($Path)
        [IO.File]::WriteAllBytes($Path, [byte[]](& $Change $bytes))
    }
}

AfterAll {
    Remove-Module KMeansPS -ErrorAction SilentlyContinue
}

BeforeDiscovery {
    # The ways a source is damaged after its output was made; each also under -WhatIf, which must say the same.
    $script:Damages = @(
        @{ Name = 'truncated to a tenth'; Extension = '.png'; Damage = { param($b) $b[0..([int]($b.Length * 0.1))] } }
        @{ Name = 'truncated to half'; Extension = '.png'; Damage = { param($b) $b[0..([int]($b.Length * 0.5))] } }
        @{ Name = 'truncated before its last 20 bytes'; Extension = '.png'; Damage = { param($b) $b[0..($b.Length - 21)] } }
        @{ Name = 'with bytes in its image data overwritten'; Extension = '.png'; Damage = { param($b) $i = [int]($b.Length / 2); foreach ($j in 0..7) { $b[$i + $j] = $b[$i + $j] -bxor 0xA5 }; , $b } }
        @{ Name = 'truncated to a tenth'; Extension = '.jpg'; Damage = { param($b) $b[0..([int]($b.Length * 0.1))] } }
        @{ Name = 'truncated to half'; Extension = '.jpg'; Damage = { param($b) $b[0..([int]($b.Length * 0.5))] } }
        @{ Name = 'replaced by text'; Extension = '.png'; Damage = { param($b) , [Text.Encoding]::ASCII.GetBytes("not an image`n") } }
        @{ Name = 'emptied'; Extension = '.png'; Damage = { param($b) , [byte[]]::new(0) } }
    )
}

Describe 'A source damaged after its output was made' {
    It '<Name> (<Extension>): the rerun gives the first run''s error for it, names it, and leaves the output' -ForEach $script:Damages {
        $case = New-CompressedSource $Extension
        Edit-Bytes $case.Source $Damage
        $firstRun = Get-FirstRunError $case.Source

        $results = Compress-ImageKMeans -LiteralPath $case.Source -K 8 -ErrorVariable errs -ErrorAction SilentlyContinue
        $results | Should -BeNullOrEmpty
        $errs.Count | Should -Be 1
        $errs[0].FullyQualifiedErrorId | Should -Be $firstRun.FullyQualifiedErrorId
        $errs[0].FullyQualifiedErrorId | Should -Not -BeLike 'OutputExists,*'
        $errs[0].CategoryInfo.Category | Should -Be $firstRun.CategoryInfo.Category
        $errs[0].TargetObject | Should -Be $case.Source
        "$errs" | Should -BeLike "*$($case.Source)*"
        "$errs" | Should -BeLike "*changed after its output '$($case.Output)' was made; that output was left as it is."
        (Get-FileHash -LiteralPath $case.Output).Hash | Should -Be $case.Hash
        @(Get-ChildItem -LiteralPath $case.Folder -Force).Count | Should -Be 2 -Because 'nothing else is written'
    }

    It '<Name> (<Extension>) under -WhatIf: the same error as the rerun, from reading the source, and nothing written' -ForEach $script:Damages {
        $case = New-CompressedSource $Extension
        Edit-Bytes $case.Source $Damage
        $sourceHash = (Get-FileHash -LiteralPath $case.Source).Hash

        $null = Compress-ImageKMeans -LiteralPath $case.Source -K 8 -WhatIf -ErrorVariable whatIf -ErrorAction SilentlyContinue
        $null = Compress-ImageKMeans -LiteralPath $case.Source -K 8 -ErrorVariable run -ErrorAction SilentlyContinue
        $whatIf.Count | Should -Be 1
        $whatIf[0].FullyQualifiedErrorId | Should -Be $run[0].FullyQualifiedErrorId
        $whatIf[0].FullyQualifiedErrorId | Should -Not -BeLike 'OutputExists,*'
        $whatIf[0].CategoryInfo.Category | Should -Be $run[0].CategoryInfo.Category
        $whatIf[0].TargetObject | Should -Be $run[0].TargetObject
        "$whatIf" | Should -Be "$run"
        (Get-FileHash -LiteralPath $case.Output).Hash | Should -Be $case.Hash
        (Get-FileHash -LiteralPath $case.Source).Hash | Should -Be $sourceHash
        @(Get-ChildItem -LiteralPath $case.Folder -Force).Count | Should -Be 2 -Because 'nothing else is written'
    }

    It 'a source made a link to a damaged file is reported as that damage, too' -Skip:$IsWindows {
        $case = New-CompressedSource
        $broken = Join-Path $case.Folder 'broken.bin'
        [IO.File]::WriteAllBytes($broken, [IO.File]::ReadAllBytes($case.Source)[0..200])
        Remove-Item -LiteralPath $case.Source
        $null = New-Item -ItemType SymbolicLink -Path $case.Source -Target $broken
        $null = Compress-ImageKMeans -LiteralPath $case.Source -K 8 -ErrorVariable errs -ErrorAction SilentlyContinue
        $errs.Count | Should -Be 1
        $errs[0].FullyQualifiedErrorId | Should -Be "InvalidImage,$script:Id"
        $errs[0].CategoryInfo.Category | Should -Be 'InvalidData'
        (Get-FileHash -LiteralPath $case.Output).Hash | Should -Be $case.Hash
    }

    It 'is reported in input order with the other sources, whose outputs are still up to date' {
        $case = New-CompressedSource
        $other = Join-Path $case.Folder 'other.png'
        $null = New-TestPng -Path $other -Colors 4
        $null = Compress-ImageKMeans -LiteralPath $other -K 8
        Edit-Bytes $case.Source { param($b) $b[0..100] }
        $out = Compress-ImageKMeans -LiteralPath $case.Source, $other -K 8 -ErrorVariable errs -ErrorAction SilentlyContinue
        $out.Status | Should -Be 'SkippedUpToDate'
        $errs.Count | Should -Be 1
        $errs[0].FullyQualifiedErrorId | Should -Be "InvalidImage,$script:Id"
        $errs[0].TargetObject | Should -Be $case.Source
    }
}

Describe 'A source changed after its output was made that still reads' {
    It '<Name>: OutputExists says the output is out of date with its source and that -Force rewrites it' -ForEach @(
        @{ Name = 'replaced by another image'; Change = { param($path) $null = New-TestPng -Path $path -Colors 4 } }
        @{ Name = 'replaced by another image with an older write time'; Change = {
                param($path) $null = New-TestPng -Path $path -Colors 5; (Get-Item -LiteralPath $path).LastWriteTimeUtc = [datetime]::new(2001, 1, 1, 0, 0, 0, [DateTimeKind]::Utc) } }
        @{ Name = 'made a link to another image'; Change = {
                param($path)
                $target = Join-Path (Split-Path $path) 'elsewhere.bin'
                $null = New-TestPng -Path $target -Colors 3
                Remove-Item -LiteralPath $path
                $null = New-Item -ItemType SymbolicLink -Path $path -Target $target } }
    ) {
        if ($IsWindows -and $Name -like '*link*') { Set-ItResult -Skipped -Because 'symbolic links need privileges on Windows'; return }
        $case = New-CompressedSource
        & $Change $case.Source
        $null = Compress-ImageKMeans -LiteralPath $case.Source -K 8 -ErrorVariable errs -ErrorAction SilentlyContinue
        $errs.Count | Should -Be 1
        $errs[0].FullyQualifiedErrorId | Should -Be "OutputExists,$script:Id"
        $errs[0].CategoryInfo.Category | Should -Be 'ResourceExists'
        $errs[0].TargetObject | Should -Be $case.Source
        $errs[0].Exception.Message | Should -Be ("'$($case.Output)' is out of date with its source: KMeansPS made it from other contents of '$($case.Source)', which changed since. " +
            'It was left as it is; -Force rewrites it from the source as it is now.')
        (Get-FileHash -LiteralPath $case.Output).Hash | Should -Be $case.Hash

        $rewritten = Compress-ImageKMeans -LiteralPath $case.Source -K 8 -Force -ErrorAction Stop
        $rewritten.Status | Should -Be 'Written'
        (Compress-ImageKMeans -LiteralPath $case.Source -K 8 -ErrorAction Stop).Status | Should -Be 'SkippedUpToDate'
    }

    It 'under -WhatIf is told the same, word for word, after reading it (<Name>)' -ForEach @(
        @{ Name = 'another image'; Colors = 4; Width = 96 }
        @{ Name = 'another image of another size'; Colors = 0; Width = 40 }
    ) {
        $case = New-CompressedSource
        $null = New-TestPng -Path $case.Source -Colors $Colors -Width $Width
        $null = Compress-ImageKMeans -LiteralPath $case.Source -K 8 -WhatIf -ErrorVariable errs -ErrorAction SilentlyContinue
        $null = Compress-ImageKMeans -LiteralPath $case.Source -K 8 -ErrorVariable run -ErrorAction SilentlyContinue
        $errs.Count | Should -Be 1
        $errs[0].FullyQualifiedErrorId | Should -Be "OutputExists,$script:Id"
        $errs[0].Exception.Message | Should -BeLike "'$($case.Output)' is out of date with its source:*"
        "$errs" | Should -Be "$run"
        (Get-FileHash -LiteralPath $case.Output).Hash | Should -Be $case.Hash
    }

    It 'an output of other settings says so and that -Force rewrites it' {
        $case = New-CompressedSource
        $null = Compress-ImageKMeans -LiteralPath $case.Source -K 8 -Dither FloydSteinberg -ErrorVariable errs -ErrorAction SilentlyContinue
        $errs[0].FullyQualifiedErrorId | Should -Be "OutputExists,$script:Id"
        $errs[0].Exception.Message | Should -BeLike "'$($case.Output)' was made with other settings (*; now *). It was left as it is; -Force rewrites it with this command's settings."
    }
}

Describe 'An output replaced by a folder' {
    It 'is a write error naming it, with -Force too, and the folder stays' {
        $case = New-CompressedSource
        Remove-Item -LiteralPath $case.Output
        $null = New-Item -ItemType Directory -Path $case.Output
        foreach ($force in $false, $true) {
            $null = Compress-ImageKMeans -LiteralPath $case.Source -K 8 -Force:$force -ErrorVariable errs -ErrorAction SilentlyContinue
            $errs.Count | Should -Be 1
            $errs[0].FullyQualifiedErrorId | Should -Be "FileWriteError,$script:Id"
            $errs[0].CategoryInfo.Category | Should -Be 'WriteError'
            $errs[0].Exception.Message | Should -BeLike "Could not write '$($case.Output)' (the output of '$($case.Source)'): it is a folder, not a regular file."
            Test-Path -LiteralPath $case.Output -PathType Container | Should -BeTrue
        }
    }
}
