FROM python:3.12
RUN apt-get update && pip install click && echo done
RUN pip install \
      attrs \
      --no-deps
RUN ["pip", "install", "rich"]
RUN uv pip install --system httpx
RUN pipx install black
RUN sudo pip install toml==0.10.2
ARG V=1.0.0
RUN pip install tomli==$V
RUN pip install --user typer==0.12.3
