from provenfix.cli import main

main()
