from framework.cli.main import main

main()
